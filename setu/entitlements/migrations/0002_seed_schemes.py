"""Seed the list of schemes survivors commonly apply to; the network edits it in Setu."""

from django.db import migrations

# (name, short name, category, LGD state code or None for all-India, description)
SCHEMES = [
    ("Ujjawala – prevention of trafficking and rescue, rehabilitation, reintegration", "Ujjawala", "rehabilitation", None,
     "Central scheme for victims of trafficking for commercial sexual exploitation; now part of Shakti Sadan under Mission Shakti."),
    ("Swadhar Greh – shelter for women in difficult circumstances", "Swadhar Greh", "rehabilitation", None,
     "Central shelter scheme for women; now part of Shakti Sadan under Mission Shakti."),
    ("Shakti Sadan (Mission Shakti) – integrated relief and rehabilitation homes", "Shakti Sadan", "rehabilitation", None, ""),
    ("Mission Vatsalya – child protection services and sponsorship", "Mission Vatsalya", "rehabilitation", None,
     "Sponsorship and after-care for children in need of care and protection."),
    ("Rehabilitation of bonded labourers (central sector scheme, 2021)", "Bonded labour rehabilitation", "compensation", None,
     "Financial assistance after a release certificate is issued."),
    ("Victim compensation under Section 357A CrPC / Section 396 BNSS (state scheme)", "Victim compensation (state)", "compensation", None,
     "Each state's Victim Compensation Scheme, decided by the District or State Legal Services Authority."),
    ("NALSA compensation scheme for women victims/survivors of sexual assault and other crimes (2018)", "NALSA women victims scheme", "compensation", None, ""),
    ("West Bengal Victim Compensation Scheme", "WB victim compensation", "compensation", 19, ""),
    ("Odisha Victim Compensation Scheme", "Odisha victim compensation", "compensation", 21, ""),
    ("Jharkhand Victim Compensation Scheme", "Jharkhand victim compensation", "compensation", 20, ""),
    ("Manodhairya – support and rehabilitation for women and child victims (Maharashtra)", "Manodhairya", "compensation", 27, ""),
    ("Ayushman Bharat – Pradhan Mantri Jan Arogya Yojana", "Ayushman Bharat PM-JAY", "health", None, "Health cover for hospital care."),
    ("Ration card (National Food Security Act)", "Ration card", "food", None, ""),
    ("Pradhan Mantri Jan Dhan Yojana – bank account", "Bank account (PMJDY)", "financial", None, ""),
    ("Aadhaar enrolment", "Aadhaar", "identity", None, ""),
    ("Voter ID (EPIC)", "Voter ID", "identity", None, ""),
    ("Birth certificate", "Birth certificate", "identity", None, ""),
    ("Indira Gandhi National Widow Pension Scheme", "Widow pension", "pension", None, ""),
    ("Indira Gandhi National Old Age Pension Scheme", "Old-age pension", "pension", None, ""),
    ("Indira Gandhi National Disability Pension Scheme", "Disability pension", "pension", None, ""),
    ("Pradhan Mantri Kaushal Vikas Yojana – skill training", "PMKVY", "livelihood", None, ""),
    ("Deen Dayal Upadhyaya Grameen Kaushalya Yojana – rural skills and placement", "DDU-GKY", "livelihood", None, ""),
    ("Pradhan Mantri Awas Yojana – housing", "PMAY", "housing", None, ""),
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("entitlements", "Scheme")
    State = apps.get_model("orgs", "State")
    for name, short, category, state_code, description in SCHEMES:
        state = State.objects.filter(code=state_code).first() if state_code else None
        Scheme.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "category": category, "state": state, "description": description},
        )


def unseed(apps, schema_editor):
    apps.get_model("entitlements", "Scheme").objects.filter(name__in=[s[0] for s in SCHEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("entitlements", "0001_schemes_and_claims"), ("orgs", "0002_load_india_places")]
    operations = [migrations.RunPython(seed, unseed)]
