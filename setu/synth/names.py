"""Name pools for synthetic person records, by community.

Spellings are the common Latin forms seen on Indian police, CWC and NGO
forms; the variation module derives other spellings from them. Pools are
kept as whitespace-separated strings so the file stays readable and the
lists are easy to extend.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


# Each community: female given names, male given names, family names,
# female "surname-like" titles (used instead of or next to the family name),
# male titles, and nicknames particular to the community.
COMMUNITIES: dict[str, dict[str, tuple[str, ...]]] = {
    "bengali_hindu": {
        "female": _split(
            """Puja Rina Mampi Tumpa Sumana Mousumi Moumita Priyanka Shampa Rupa Dipali Sabita
            Mitali Anjali Sathi Jhuma Soma Rakhi Papia Payel Sonali Barnali Tanusree Debjani
            Rinku Chandana Lakshmi Saraswati Malati Kakoli Sharmila Swapna Shibani Putul Pinki
            Nandini Ananya Riya Susmita Arpita Mithu Laboni Tania Baishakhi Sraboni Aparna
            Manasi Bulbuli Jharna Mamoni Asha Purnima Namita Suchitra Bithika Sukla Tumpa
            Dipa Gita Kalpana Mallika Rumpa Shilpi Tuli Beauty Rimpa Pampa Basanti"""
        ),
        "male": _split(
            """Rahul Sujit Bapi Subrata Tapas Biswajit Prasenjit Amit Sanjib Dipankar Goutam
            Ratan Bikash Sukumar Palash Raju Tarun Nirmal Anup Swapan Manas Arup Sourav
            Debashis Partha Pintu Shankar Haradhan Gopal Nitai Bablu Tanmoy Abhijit Sudip
            Rajib Uttam Kartik Bishnu Subhankar Asit Shyamal Nikhil Bimal Kanai"""
        ),
        "family": _split(
            """Mondal Das Sardar Halder Naskar Biswas Ghosh Roy Sarkar Paul Pramanik Majhi Bag
            Mridha Gayen Dolui Purkait Mistri Bera Jana Maity Barman Debnath Saha Dey Pal
            Bhowmik Karmakar Mahato Adhikari Bairagi Sheet Patra Giri Manna"""
        ),
        "female_title": ("Devi", "Dasi", "Rani"),
        "male_title": (),
        "nick_f": _split("Mampi Tumpi Buri Khuku Puchki Tinni Mou Bubai Jhumpa Rimi"),
        "nick_m": _split("Bapi Bapon Tublu Bubai Montu Tutu Babu Khokon Pocha"),
    },
    "bengali_muslim": {
        "female": _split(
            """Rahima Salma Nasima Hasina Jahanara Sahanara Rehana Farida Marjina Rokeya Amina
            Sabina Ayesha Fatema Jesmin Parvin Rupsana Sahida Roksana Nargis Mumtaz Khadija
            Sufia Anowara Taslima Sakila Nurjahan Halima Firoza Rubina Asma Selina Rabeya
            Monowara Rajia Sahana Majeda Tahamina Rasida Mariam Asiya Sahnaj Rojina"""
        ),
        "male": _split(
            """Rafiqul Sirajul Aminul Mofizul Jahangir Kamal Anwar Abdul Habibur Mizanur
            Rejaul Sahidul Nazrul Ashraful Manirul Saiful Asif Imran Sabir Alamgir Jakir
            Rabiul Ismail Yusuf Sariful Hafizul Kabir Tariqul Jamal Mohammad Rakib Sohel
            Obaidul Mustafa Mamun"""
        ),
        "family": _split(
            """Sk Shaikh Sheikh Mondal Molla Laskar Gazi Sardar Khan Ali Hossain Islam Ahmed
            Biswas Mallick Mia Bepari Munshi Haque Rahaman Paik Dhali"""
        ),
        "female_title": ("Khatun", "Bibi", "Begum", "Parvin"),
        "male_title": (),
        "nick_f": _split("Mina Rupa Moni Laili Pakhi Sona Tuni"),
        "nick_m": _split("Babu Raja Bappa Lalu Sona"),
    },
    "hindi": {
        "female": _split(
            """Pooja Sunita Anita Rekha Priya Kajal Khushboo Rinki Sonam Neha Anjali Manisha
            Reena Meena Geeta Seema Sarita Kiran Mamta Savita Suman Nisha Jyoti Kavita Rani
            Radha Laxmi Sangita Babita Asha Usha Pinky Preeti Shalini Anamika Kumkum Chanda
            Chandni Renu Sushma Poonam Archana Vandana Shobha Phoolmati Lalita Durga Parvati
            Sapna Khushi Aarti Dimple Nikki Soni Roshni Karishma Bindu Sarswati Ritu Kanchan
            Muskan Shivani Pinki Sunaina Rajkumari Manju Premlata Urmila Indu"""
        ),
        "male": _split(
            """Ramesh Suresh Mukesh Rajesh Dinesh Santosh Manoj Sanjay Vijay Ajay Pankaj Rakesh
            Ravi Sunil Anil Arvind Birju Raju Ramu Shyam Mohan Kishan Ganesh Dilip Deepak
            Rohit Ankit Vikas Amit Nitish Lalan Bhola Dharmendra Jitendra Upendra Ravindra
            Shambhu Lakhan Sanjeev Ramashankar Rambabu Sonelal Chandan Vinod Pramod Naresh
            Umesh Bablu"""
        ),
        "family": _split(
            """Kumar Yadav Paswan Ram Mahto Manjhi Sah Gupta Singh Sharma Mishra Pandey
            Chaudhary Rajak Mandal Thakur Prasad Rai Kushwaha Nishad Verma Chauhan Pal Sahni
            Mallah Turi Saw Bind Rawat Dubey Maurya Kewat Rajbhar Jatav Mahato Baitha"""
        ),
        "female_title": ("Kumari", "Devi"),
        "male_title": ("Kumar",),
        "nick_f": _split("Guddi Munni Babli Chhoti Gudiya Chutki Titli Rinki Golu Sweety"),
        "nick_m": _split("Pappu Chhotu Golu Bittu Munna Guddu Lalu Kallu Bunty Chintu Monu"),
    },
    "muslim_north": {
        "female": _split(
            """Shabnam Nazia Rukhsar Sana Afsana Nasreen Shabana Reshma Farzana Gulnaz Naziya
            Tabassum Heena Shahnaz Ruksana Zarina Noorjahan Kaneez Sajida Firdaus Shama
            Yasmin Sultana Mehrunnisa Naseem Saira Rubina Mumtaz Zeenat Gulshan Shaista
            Nagma Rabia Anjum Chandni Shamima Sabra"""
        ),
        "male": _split(
            """Mohammad Salim Shahid Irfan Arif Javed Imran Sajid Wasim Naushad Shamim Rashid
            Aslam Akhtar Rizwan Sohail Danish Faizan Anwar Ejaz Shahzad Mustaqim Nadeem
            Iqbal Azhar Afroz Sarfaraz Tabrez Sameer Sabir Intezar Mumtaz Nasir"""
        ),
        "family": _split(
            """Ansari Khan Qureshi Siddiqui Shaikh Alam Ahmad Hussain Rain Idrisi Mansoori
            Saifi Malik Akhtar Raza Pathan Shah Abbasi Rayeen"""
        ),
        "female_title": ("Khatoon", "Begum", "Bano", "Bibi"),
        "male_title": (),
        "nick_f": _split("Guddi Munni Chanda Pari Gudiya Shanno Sabo Rani"),
        "nick_m": _split("Guddu Pappu Raju Munna Babbu Chhotu Sonu"),
    },
    "odia": {
        "female": _split(
            """Sasmita Pramila Sabitri Kuni Mamata Jyotsna Subhadra Sulochana Manjulata
            Bijayalaxmi Rashmita Lipsa Sushree Smruti Priyanka Tapaswini Gitanjali Rojalin
            Madhusmita Pinky Swapna Puspa Laxmipriya Kabita Sarojini Bandana Sanjukta
            Itishree Mamina Mousumi Jhilli Lipika Sunita Banita Namita Reena Sabita Rinki
            Jayanti Sumitra Pratima Nirupama Sasmita Minati"""
        ),
        "male": _split(
            """Prakash Bijay Sanjay Sarat Pradeep Debasis Manas Subash Santosh Ranjan Bikram
            Satyajit Susanta Ramesh Biswanath Sudam Gobinda Kalia Bapuni Tuna Rabindra
            Niranjan Ashok Pabitra Hrushikesh Jagannath Sukanta Dillip Bhagaban Lingaraj
            Kailash Trilochan"""
        ),
        "family": _split(
            """Behera Sahoo Nayak Pradhan Swain Das Mohanty Rout Jena Patra Sethi Mallick
            Barik Dash Panda Parida Majhi Samal Bhoi Naik Gouda Mishra Biswal Sahu Khatua
            Dalai Baral Bag Hans Kanhar Digal"""
        ),
        "female_title": ("Devi", "Dei"),
        "male_title": (),
        "nick_f": _split("Kuni Tuni Mami Rinu Lili Jhuni Chuni"),
        "nick_m": _split("Bapuni Tuna Kalia Bapi Sunu Bula"),
    },
    "assamese": {
        "female": _split(
            """Ranjita Junmoni Pallavi Dipshikha Rupjyoti Bornali Mridula Anima Jonali Bhanita
            Nilakshi Pranamika Kalpana Rina Gitumoni Puja Moromi Mousumi Jyotishmita Ankita
            Monalisa Himashree Rashmi Baby Bobita Rupali Anjali Jinu Trishna Kabita Nibedita
            Rumi Dipali Mamoni Pinky"""
        ),
        "male": _split(
            """Bhaskar Dhruba Pranjal Rituraj Kamal Manash Dipankar Bhupen Hemanta Jintu Bitu
            Pankaj Nayan Mridul Rupam Babul Bikash Ranjit Diganta Biju Montu Jayanta Tapan
            Prasanta Rajib"""
        ),
        "family": _split(
            """Bora Gogoi Saikia Das Kalita Baruah Hazarika Deka Nath Sharma Bordoloi Phukan
            Konwar Rabha Boro Basumatary Narzary Kachari Doley Pegu Medhi Talukdar Sonowal
            Mili Tanti Bhuyan Borah"""
        ),
        "female_title": ("Devi",),
        "male_title": (),
        "nick_f": _split("Moni Mina Runu Junu Mamu Pinky"),
        "nick_m": _split("Babu Bitu Jintu Montu Raju"),
    },
    "tribal": {
        "female": _split(
            """Sushila Sunita Salomi Anita Phulmani Sukhmani Budhni Mangri Sunaina Soma Bimla
            Jasinta Pramila Anima Sumitra Hiramani Sanjhi Dukhni Birsi Somwari Mangli
            Budhwari Shanti Sarita Reshma Nirmala Elisabeth Asrita Jyoti Binita Silvanti
            Sabitri Parvati Lalmuni Talamai Sanicharo Phoolmani Basanti Sumi Dasmi Pano Rajni
            Manju Agnes Ruth Sushanti Sukru Jayanti Punam Lakhimani Sukarmani Alma Sosan"""
        ),
        "male": _split(
            """Birsa Somra Budhu Mangra Sukra Sanicharwa Etwa Lakhan Jitu Bandhu Suraj Anand
            Vijay Prem Manoj Santosh Jaipal Karma Bhaiyaram Rajesh Sunil Francis Xavier
            Junas Sahdev Budhram Charan Lalu Joseph Sombaru Dukhu Biru Mangal Sukhram"""
        ),
        # Munda, Oraon (Kurukh), Santhal, Ho and Gond clan names.
        "family": _split(
            """Munda Purty Topno Bhengra Horo Surin Guria Kandulna Sanga Aind Oraon Tirkey
            Minz Lakra Ekka Kujur Toppo Kerketta Xalxo Khalkho Tigga Kispotta Beck Barla
            Hansda Murmu Soren Hembrom Tudu Marandi Kisku Baski Besra Mardi Bodra Sinku
            Gagrai Samad Birua Jonko Banra Tiu Kalundia Laguri Sundi Champia Pingua Deogam
            Netam Markam Dhruw Kunjam Mandavi Sori"""
        ),
        "female_title": ("Kumari", "Devi"),
        "male_title": ("Kumar",),
        "nick_f": _split("Budhni Sukni Mani Chhoti Guddi Babli"),
        "nick_m": _split("Budhu Sukhu Chhotu Lalu Babu"),
    },
    "nepali": {
        "female": _split(
            """Sita Gita Maya Kamala Sunita Laxmi Sushila Anita Pabitra Sarita Manisha Kabita
            Srijana Pramila Rekha Samjhana Bimala Mina Sabina Sanjita Puja Asmita Dawa Pema
            Dolma Tara Januka Ambika Sarmila Goma Chandra Sangita Binita Rojina Sunmaya
            Dhanmaya"""
        ),
        "male": _split(
            """Ram Hari Krishna Bikram Santosh Suman Ramesh Dipak Rajan Bishal Prakash Sagar
            Nabin Rabin Kiran Dawa Pemba Tenzing Raju Anil Sanjay Bhim Dil Gopal Bikash
            Dinesh Suraj"""
        ),
        "family": _split(
            """Tamang Rai Limbu Gurung Magar Thapa Chhetri Sherpa Subba Pradhan Lama Shrestha
            Sharma Karki Bhujel Ghising Yonzon Dahal Sunar Kami Bishwakarma Tharu"""
        ),
        "female_title": ("Kumari", "Maya"),
        "male_title": ("Bahadur",),
        "nick_f": _split("Kanchi Maili Sani Nani Chhori Maiya"),
        "nick_m": _split("Kancha Maila Sano Babu Bhai"),
    },
    "marathi": {
        "female": _split(
            """Pooja Sunita Manisha Savita Ujwala Sangita Vaishali Priyanka Ashwini Jyoti
            Rupali Pallavi Swati Sarika Shital Kavita Lata Mangal Sindhu Anita Kalpana
            Vandana Shobha Rekha Suvarna Pushpa Yogita Aarti Snehal Dipali Kusum Chhaya"""
        ),
        "male": _split(
            """Santosh Ganesh Sachin Rahul Vishal Sunil Nitin Dattatray Prakash Vijay Ajay
            Mahesh Sandip Amol Tushar Pandurang Balu Sanjay Dnyaneshwar Sagar Vitthal Mahadev
            Kiran Shivaji"""
        ),
        "family": _split(
            """Jadhav Pawar Shinde Gaikwad Kamble Patil More Kale Salunkhe Bhosale Chavan Wagh
            Mane Kadam Sonawane Waghmare Londhe Shelke Thorat Ingle Kharat Bansode Ahire
            Pardhi Kolekar"""
        ),
        "female_title": ("Bai",),
        "male_title": ("Rao",),
        "nick_f": _split("Chhakuli Baby Sonu Pinky Manu Tai"),
        "nick_m": _split("Bhau Balu Pintya Sonu Raju"),
    },
    "telugu": {
        "female": _split(
            """Lakshmi Padma Sujatha Swapna Anitha Kavitha Sravani Bhavani Manjula Renuka
            Sirisha Ramya Mounika Pavani Durga Saritha Sunitha Jyothi Vani Aruna Srilatha
            Venkatamma Yadamma Ellamma Pochamma Anusha Divya Sandhya Radhika Madhavi
            Shailaja Kalyani Bhagya Mallika Swathi Nagamani"""
        ),
        "male": _split(
            """Srinivas Ramesh Venkatesh Raju Naresh Suresh Mahesh Ravi Srikanth Anil Praveen
            Kiran Venkanna Yadagiri Mallesh Narsimha Balaraju Shankar Ramu Sai Chandu Harish
            Nagaraju Srinu"""
        ),
        "family": _split(
            """Reddy Naidu Goud Yadav Rao Chary Naik Banoth Bhukya Ramavath Dharavath
            Gugulothu Bandari Pasupuleti Kurma Chinthala Gajula Kola Medi Mekala Talari Boda
            Ponnala Vadla"""
        ),
        "female_title": ("Amma", "Bai"),
        "male_title": (),
        "nick_f": _split("Chinni Ammulu Bujji Pinky Lucky Chitti"),
        "nick_m": _split("Chinna Bujji Chintu Pandu Babu"),
    },
    "kannada": {
        "female": _split(
            """Lakshmi Savitha Kavya Shilpa Manjula Roopa Shobha Yellamma Renuka Bhagya
            Gowramma Sunitha Pavitra Rekha Nagaveni Chaitra Rashmi Anitha Sumitra Hema
            Mamatha Geetha Yashoda Shantamma Kalavathi Durgamma Sowmya Bhavya Padmavathi"""
        ),
        "male": _split(
            """Manjunath Raghu Nagaraj Shivakumar Basavaraj Mallikarjun Siddappa Hanumanth
            Ramesh Suresh Prakash Ravi Mahadev Lokesh Chandrashekar Anand Ningappa Yallappa
            Shankar Girish Santosh Kiran Venkatesh"""
        ),
        "family": _split(
            """Gowda Naik Nayak Patil Kamble Talawar Madar Lamani Hosamani Kumbar Badiger
            Pujari Shetty Poojary Hugar Chalavadi Naikar Doddamani Biradar Gouda"""
        ),
        "female_title": ("Amma", "Bai"),
        "male_title": (),
        "nick_f": _split("Chinnu Puttamma Pinky Baby Chinni"),
        "nick_m": _split("Chinna Putta Appu Babu"),
    },
}

# Pet names used all over north and east India regardless of community.
COMMON_NICKNAMES_F: tuple[str, ...] = _split(
    """Munni Guddi Pinky Babli Rani Chhoti Mona Sonu Golu Khushi Bulbul Tuni Mini Rinki
    Dolly Baby Pari Chutki Gudiya Titli Moni Sweety Nikki Sona Laddo"""
)
COMMON_NICKNAMES_M: tuple[str, ...] = _split(
    """Bablu Sonu Monu Golu Chhotu Pappu Bittu Tinku Pintu Raju Guddu Munna Bhola Lalu
    Bunty Babu Montu Rinku Chintu Raja Chhotu"""
)

# Latin spellings that real forms use interchangeably for the same token.
# Every member of a group is a variant of every other.
EQUIVALENT_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("Mohammad", "Mohammed", "Md.", "Mohd", "Mohd.", "Muhammad", "Md"),
    ("Sk", "Shaikh", "Sheikh", "Shekh", "Sk."),
    ("Khatun", "Khatoon", "Khaton"),
    ("Lakshmi", "Laxmi", "Luxmi", "Lakhi"),
    ("Pooja", "Puja", "Pujaa"),
    ("Hossain", "Hussain", "Hosen", "Hossen"),
    ("Rahaman", "Rahman", "Rehman"),
    ("Ahmed", "Ahmad"),
    ("Devi", "Debi"),
    ("Biswas", "Bishwas"),
    ("Bijay", "Vijay", "Bijoy"),
    ("Bikash", "Vikas", "Bikas"),
    ("Sabita", "Savita", "Sobita"),
    ("Kabita", "Kavita", "Kobita"),
    ("Mondal", "Mandal", "Mondol"),
    ("Chaudhary", "Choudhary", "Chowdhury"),
    ("Mahato", "Mahto"),
    ("Tirkey", "Tirki"),
    ("Hembrom", "Hembram"),
    ("Hansda", "Hansdah", "Hasda"),
    ("Xalxo", "Khalkho"),
    ("Jyoti", "Joti", "Jyothi"),
    ("Sunita", "Sunitha"),
    ("Anita", "Anitha"),
    ("Kavitha", "Kavita"),
    ("Parvin", "Parveen", "Perveen"),
    ("Fatema", "Fatima"),
    ("Begum", "Begam"),
    ("Reena", "Rina"),
    ("Priya", "Priyaa"),
    ("Shampa", "Sampa"),
    ("Sushila", "Susila"),
    ("Khushboo", "Khusbu", "Kushboo"),
    ("Kumari", "Kumaree", "Kumri"),
)

# Honorifics and their "reason" for appearing: records sometimes add these
# as family name, sometimes drop them. Used by tests to spot the variation.
HONORIFICS: frozenset[str] = frozenset(
    {
        "Kumari",
        "Devi",
        "Dei",
        "Dasi",
        "Khatun",
        "Khatoon",
        "Begum",
        "Bibi",
        "Bano",
        "Parvin",
        "Kumar",
        "Bai",
        "Rani",
        "Amma",
        "Maya",
        "Bahadur",
        "Rao",
    }
)


def pool_sizes() -> dict[str, int]:
    """Return the total number of distinct female, male and family names."""
    female: set[str] = set(COMMON_NICKNAMES_F)
    male: set[str] = set()
    family: set[str] = set()
    for pools in COMMUNITIES.values():
        female.update(pools["female"])
        male.update(pools["male"])
        family.update(pools["family"])
    return {"female": len(female), "male": len(male), "family": len(family)}
