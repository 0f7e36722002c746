"""The registry data model, aligned with the IOM Human Trafficking Case Data Standard v2.

Field-by-field mapping to HTCDS is in docs/htcds-mapping.md. India-specific additions
(FIR, police station, forms of exploitation HTCDS lacks, LGD places) are separate fields so
that export back to HTCDS stays lossless. Consent and case shares are ``setu.consent.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.crypto import BlindIndexField, EncryptedTextField
from setu.core.models import BaseModel
from setu.core.uploads import EXTENSIONS


class Gender(models.TextChoices):
    """HTCDS ``gender`` code list."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender (feminine)")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender (masculine)")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")


class Script(models.TextChoices):
    """Writing system of a name as recorded."""

    LATIN = "latin", _("Latin (English letters)")
    DEVANAGARI = "devanagari", _("Devanagari")
    BENGALI = "bengali", _("Bengali / Assamese")
    ODIA = "odia", _("Odia")
    GURMUKHI = "gurmukhi", _("Gurmukhi")
    GUJARATI = "gujarati", _("Gujarati")
    TELUGU = "telugu", _("Telugu")
    TAMIL = "tamil", _("Tamil")
    KANNADA = "kannada", _("Kannada")
    MALAYALAM = "malayalam", _("Malayalam")
    URDU = "urdu", _("Urdu")


class Person(BaseModel):
    """A person as recorded by one organisation (survivor, missing person, family or perpetrator)."""

    # Written to the audit trail only as a mark (core.changes.Personal), never as the value.
    AUDIT_PERSONAL_FIELDS = (
        "given_name", "family_name", "name_native", "birth_date", "father_name", "mother_name",
        "spouse_name", "disability",
    )  # fmt: skip

    owner_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="persons"
    )
    # Names are encrypted at rest (docs/deployment.md §12) and found through PersonNameToken.
    given_name = EncryptedTextField(_("given name"), max_length=100, blank=True)  # prs_FirstName
    family_name = EncryptedTextField(_("family name"), max_length=100, blank=True)  # prs_LastName
    name_native = EncryptedTextField(_("name in native script"), max_length=200, blank=True)
    name_native_script = models.CharField(
        _("script"), max_length=16, choices=Script.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)  # prs_Birthdate
    birth_date_precision = models.CharField(
        _("date of birth known to"), max_length=8, choices=DatePrecision.choices, blank=True
    )
    # An estimated age is only meaningful with the date it was estimated on.
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    father_name = EncryptedTextField(_("father's name"), max_length=150, blank=True)
    mother_name = EncryptedTextField(_("mother's name"), max_length=150, blank=True)
    spouse_name = EncryptedTextField(_("spouse's name"), max_length=150, blank=True)
    nationality = models.CharField(_("nationality (ISO 3166)"), max_length=2, default="IN")
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    disability = models.CharField(_("disability or access needs"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Records are archived, never deleted, so nothing a survivor told us is silently lost.
    archived_at = models.DateTimeField(null=True, blank=True)
    # Set when retention replaced the person's names, phones, places and documents
    # (services.retention); the row stays, with what statistics count.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        # No ordering by name: the names are ciphertext to the database. Lists show the most
        # recently recorded first (selectors), which pages the same on every database.
        indexes = [models.Index(fields=["owner_org", "created_at"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_("(anonymised)"))
        name = " ".join(part for part in (self.given_name, self.family_name) if part)
        return name or self.name_native or str(_("(no name recorded)"))

    def age_on(self, day: object = None) -> int | None:
        """Age in whole years on ``day`` (today by default), from DOB or from the estimate."""
        day = day or timezone.localdate()
        if self.birth_date:
            years = day.year - self.birth_date.year
            if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
                years -= 1
            return years
        if self.estimated_age is not None and self.age_estimated_on:
            return self.estimated_age + (day - self.age_estimated_on).days // 365
        return self.estimated_age


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Alias")
    NICKNAME = "nickname", _("Pet name / nickname")
    FORMER = "former", _("Former name")
    SPELLING = "spelling", _("Other spelling")


class PersonAlias(BaseModel):
    """Another name the person is known by."""

    AUDIT_PERSONAL_FIELDS = ("name",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedTextField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AliasKind.choices, default=AliasKind.ALIAS
    )

    def __str__(self) -> str:
        return self.name


class PersonNameToken(models.Model):
    """The blind index (HMAC under the field index key) of one folded word of a person's names
    or aliases, or of its first two or more letters: name search without names in clear
    (setu.registry.text.name_tokens; kept by the person and alias services)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    digest = models.CharField(max_length=64)
    # A whole word of a name, not only the start of one: search ranks whole-word hits first.
    whole = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="person_name_token_unique")
        ]
        indexes = [models.Index(fields=["digest", "person"], name="person_name_token_digest")]

    def __str__(self) -> str:
        return self.digest[:12]


class AddressKind(models.TextChoices):
    HOME = "home", _("Home / native place")
    CURRENT = "current", _("Current")
    WORK = "work", _("Place of work")


class Address(BaseModel):
    """A place linked to a person: village or locality, district and state (LGD)."""

    AUDIT_PERSONAL_FIELDS = ("village", "line", "pincode")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(
        _("kind"), max_length=10, choices=AddressKind.choices, default=AddressKind.HOME
    )
    village = EncryptedTextField(_("village / locality"), max_length=150, blank=True)
    line = EncryptedTextField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pincode = models.CharField(_("PIN code"), max_length=6, blank=True)
    country = models.CharField(_("country (ISO 3166)"), max_length=2, default="IN")

    def __str__(self) -> str:
        return ", ".join(str(p) for p in (self.village, self.district, self.state) if p)


class PhoneKind(models.TextChoices):
    OWN = "own", _("Own")
    FAMILY = "family", _("Family (shared)")
    OTHER = "other", _("Other contact")


class Phone(BaseModel):
    """A phone number, stored normalised (+91XXXXXXXXXX for Indian numbers) and encrypted;
    found by its blind indexes (the whole number, or its last six digits)."""

    AUDIT_PERSONAL_FIELDS = ("number", "note")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = EncryptedTextField(_("number"), max_length=16)
    number_index = BlindIndexField(source="number")
    number_tail_index = BlindIndexField(source="number", transform="tail6")
    kind = models.CharField(
        _("kind"), max_length=8, choices=PhoneKind.choices, default=PhoneKind.OWN
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    def __str__(self) -> str:
        return self.number


class DocumentType(models.TextChoices):
    AADHAAR = "aadhaar", _("Aadhaar (last 4 digits only)")
    VOTER_ID = "voter_id", _("Voter ID (EPIC)")
    RATION_CARD = "ration_card", _("Ration card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    PASSPORT = "passport", _("Passport")
    SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
    PAN = "pan", _("PAN card")
    OTHER = "other", _("Other")


class IdentityDocument(BaseModel):
    """An identity document, its number encrypted. A full Aadhaar number is never stored: only
    its last four digits."""

    AUDIT_PERSONAL_FIELDS = ("number",)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document"), max_length=20, choices=DocumentType.choices)
    number = EncryptedTextField(_("number"), max_length=40, blank=True)
    # Letters and digits only, upper case: "ab-123 45" finds "AB12345".
    number_index = BlindIndexField(source="number", transform="alnum")
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    is_held_by_person = models.BooleanField(_("person holds the document"), default=True)

    def __str__(self) -> str:
        return self.get_doc_type_display()


class CaseStatus(models.TextChoices):
    """HTCDS ``case_status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed – referred")


class TraffickingStatus(models.TextChoices):
    """HTCDS ``trafficking_status``."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Identified victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class Case(BaseModel):
    """A case owned by one organisation; other organisations see it only through a consented share."""

    AUDIT_PERSONAL_FIELDS = ("summary",)

    owner_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("case reference"), max_length=40)
    # The reference the case had before numbering became one scheme: people still quote it.
    former_reference = models.CharField(_("former case reference"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    trafficking_status = models.CharField(
        _("identification"),
        max_length=32,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    identified_by = models.CharField(_("identification decided by"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    case_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
        verbose_name=_("case owner"),
    )
    # A restricted case is seen only by its owner, its team and the organisation admin.
    is_restricted = models.BooleanField(_("restricted to the case team"), default=False)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="case_teams")
    summary = models.TextField(_("summary"), blank=True)
    # India extensions (HTCDS has no legal-process fields).
    fir_number = models.CharField(_("FIR number"), max_length=40, blank=True)
    police_station = models.CharField(_("police station"), max_length=150, blank=True)
    sections_charged = models.CharField(_("sections charged"), max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_org", "reference"], name="case_reference_unique_in_org"
            )
        ]
        indexes = [models.Index(fields=["owner_org", "status", "opened_on"])]

    def __str__(self) -> str:
        return self.reference


class CaseRole(models.TextChoices):
    """How a person is connected to a case (HTCDS 'Connected Person' type)."""

    VICTIM = "victim", _("Survivor / victim")
    MISSING = "missing", _("Missing person")
    PERPETRATOR = "perpetrator", _("Alleged perpetrator")
    FAMILY = "family", _("Family member")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class PerpetratorRole(models.TextChoices):
    """HTCDS ``perpetrator_role_in_process``."""

    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary (agent, dalal)")
    BROKER = "BrokerTravelAgent", _("Broker / travel agent")
    TRANSFERRED = "TransferredIndividual", _("Transferred the person")
    HARBOURED = "HarbouredIndividual", _("Harboured the person")
    SOLD = "SoldIndividual", _("Sold the person")
    BOUGHT = "BoughtIndividual", _("Bought the person")
    RECEIVED = "ReceivedIndividual", _("Received the person")
    CONTROLLED = "ControlledIndividual", _("Controlled the person")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter (employer, brothel keeper)")
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):
    """HTCDS ``relationship_to_trafficker`` (source spelling of 'Unaquainted' kept as the code)."""

    FAMILIAL = "Familial", _("Family")
    ACQUAINTED = "Acquainted", _("Known to them")
    UNACQUAINTED = "Unaquainted", _("Stranger")


class CasePerson(BaseModel):
    """Links a person to a case with their role; carries HTCDS victim/perpetrator context."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role in case"), max_length=12, choices=CaseRole.choices)
    perpetrator_roles = models.JSONField(_("perpetrator's roles"), default=list, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=12,
        choices=RelationshipToTrafficker.choices,
        blank=True,
    )
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="case_person_role_unique"
            )
        ]


class ExploitationForm(models.TextChoices):
    """HTCDS ``type_of_exploitation`` plus India-specific forms (marked IN)."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Commercial sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military (non-state actors)")
    BONDED_LABOUR = "IN:BondedLabour", _("Bonded labour")
    FORCED_CRIMINALITY = (
        "IN:ForcedCriminality",
        _("Forced criminality (petty crime, drug peddling)"),
    )
    ONLINE_SEXUAL_EXPLOITATION = "IN:OnlineSexualExploitation", _("Online sexual exploitation")
    DOMESTIC_SERVITUDE = "IN:DomesticServitude", _("Domestic servitude")
    OTHER = "Other", _("Other")


# Export to HTCDS keeps the standard code and puts the India code in an extension field.
EXPLOITATION_TO_HTCDS = {
    ExploitationForm.BONDED_LABOUR: "ForcedLabour",
    ExploitationForm.FORCED_CRIMINALITY: "Other",
    ExploitationForm.ONLINE_SEXUAL_EXPLOITATION: "SexualExploitation",
    ExploitationForm.DOMESTIC_SERVITUDE: "Servitude",
}


class CaseExploitation(BaseModel):
    """One form of exploitation in a case (a case can have several)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitations")
    form = models.CharField(
        _("form of exploitation"), max_length=40, choices=ExploitationForm.choices
    )
    industry = models.CharField(_("industry (ISIC section)"), max_length=2, blank=True)
    details = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "form"], name="case_exploitation_unique")
        ]

    @property
    def htcds_code(self) -> str:
        return EXPLOITATION_TO_HTCDS.get(ExploitationForm(self.form), self.form)


class MeansOfControl(models.TextChoices):
    """HTCDS ``methods_of_control`` (with the two definition-only values)."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of police or deportation")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises (job, marriage)")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds food, sleep or necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Drugs or alcohol")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    RESTRICTS_MOVEMENT = "RestrictsMovement", _("Restricts movement / confinement")
    USES_CHILDREN = "UsesChildren", _("Uses children")
    OTHER = "Other", _("Other")


class CaseControlMeans(BaseModel):
    """A means of control used on the survivor in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="control_means")
    means = models.CharField(_("means of control"), max_length=32, choices=MeansOfControl.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "means"], name="case_control_means_unique")
        ]


class EventKind(models.TextChoices):
    """HTCDS ``historic_trafficking_event_type`` plus the response events Indian records carry."""

    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")
    MISSING_REPORTED = "IN:MissingReported", _("Reported missing")
    RESCUE = "IN:Rescue", _("Rescue")
    INTERCEPTION = "IN:Interception", _("Interception")
    SHELTER_ADMISSION = "IN:ShelterAdmission", _("Admitted to shelter")
    REPATRIATION = "IN:Repatriation", _("Repatriation / restoration home")
    REINTEGRATION = "IN:Reintegration", _("Reintegration")


class TraffickingEvent(BaseModel):
    """Something that happened in a case, at a place and a date (HTCDS Historic Trafficking Event)."""

    AUDIT_PERSONAL_FIELDS = ("place", "description")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date known to"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(_("country (ISO 3166)"), max_length=2, default="IN")
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurred_on", "created_at"]
        indexes = [models.Index(fields=["kind", "occurred_on"])]


class ServiceType(models.TextChoices):
    """HTCDS ``support_plan_type`` plus services Indian survivors commonly receive."""

    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial support")
    HEALTH = "Health", _("Medical care")
    LABOUR_REHABILITATION = (
        "LabourExploitationRehabilitation",
        _("Labour exploitation rehabilitation"),
    )
    LEGAL = "Legal", _("Legal aid")
    LIVELIHOOD = "Livelihood", _("Livelihood / skills")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_EXPLOITATION_REHABILITATION = (
        "SexualExploitationRehabilitation",
        _("Sexual exploitation rehabilitation"),
    )
    SOCIAL_CARE = "SocialCare", _("Social care")
    SHELTER = "IN:Shelter", _("Shelter")
    COUNSELLING = "IN:Counselling", _("Mental-health counselling")
    REPATRIATION = "IN:Repatriation", _("Repatriation and escort")
    FAMILY_TRACING = "IN:FamilyTracing", _("Family tracing")
    COMPENSATION = "IN:Compensation", _("Victim compensation claim")
    GOVERNMENT_SCHEME = "IN:GovernmentScheme", _("Government scheme")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class ServiceRecord(BaseModel):
    """A service a person received or is receiving (HTCDS Support Plan)."""

    AUDIT_PERSONAL_FIELDS = ("notes",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    service_type = models.CharField(_("service"), max_length=40, choices=ServiceType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED
    )
    provider_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_name = models.CharField(
        _("provider (if not in the network)"), max_length=200, blank=True
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["started_on", "created_at"]


class NoteTopic(models.TextChoices):
    """What a note is about; decides which consent scope a partner needs to read it."""

    GENERAL = "general", _("General")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal")


class CaseNote(BaseModel):
    """A note on a case (HTCDS Case Comment)."""

    AUDIT_PERSONAL_FIELDS = ("body",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))
    topic = models.CharField(
        _("topic"), max_length=8, choices=NoteTopic.choices, default=NoteTopic.GENERAL
    )

    class Meta:
        ordering = ["created_at"]


class AttachmentKind(models.TextChoices):
    """What an attachment is: a photo of the person (or for the case), or a scanned document."""

    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Attachment(BaseModel):
    """A photo or document of a person or of a case (exactly one), kept as a file under
    ``SETU_UPLOAD_DIR`` with a random name; the file's bytes were checked and, for images,
    re-encoded from pixels (``setu.core.uploads``). Deleting the row removes the file."""

    AUDIT_PERSONAL_FIELDS = ("title",)

    owner_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="attachments"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    # A caption such as "Ration card, front page": it may itself identify her, so it is kept
    # out of the audit trail; the file name she chose is never kept at all.
    title = models.CharField(_("description"), max_length=120, blank=True)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    # The file's name under SETU_UPLOAD_DIR: random, no extension, nothing the user chose.
    stored_name = models.CharField(max_length=32, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, case__isnull=True)
                    | models.Q(person__isnull=True, case__isnull=False)
                ),
                name="attachment_of_person_or_case",
            )
        ]
        indexes = [
            models.Index(fields=["person", "created_at"]),
            models.Index(fields=["case", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d-%m-%Y}" if self.created_at else ""

    @property
    def download_name(self) -> str:
        """The name a download gets: kind, day and the id's start, never what was uploaded."""
        day = timezone.localtime(self.created_at).strftime("%d-%m-%Y")
        return f"{self.kind}-{day}-{str(self.pk)[:8]}.{EXTENSIONS[self.content_type]}"
