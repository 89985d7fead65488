"""States and districts with their Local Government Directory (LGD) codes.

Why LGD codes: HFR, the ABHA address fields and every government health programme name places
by the Ministry of Panchayati Raj's LGD code, not by spelling ("Gurgaon" and "Gurugram" are
district 62). A facility id begins with its state's LGD code, and "find a facility" searches by
district code, so tests and demos need real codes.

The state table is complete (the 28 states and 8 union territories), and so is the district
table: every district of LGD's "All Districts of India" export (739, `data/lgd_districts.csv`),
with the Hindi names of the districts people meet most often (the rest show their English name
in Hindi too). Source: lgdirectory.gov.in, "All Districts of India" (Government Open Data
License - India), as exported in datacommonsorg/data scripts/india_lgd. Names follow LGD, in title
case (a few common names are kept as people say them: "Gangtok" for LGD's "East District").
Districts made after that export (13 in Andhra Pradesh in 2022, Pakyong and Soreng in Sikkim) are
not in it: their PIN codes resolve to the state only (`core.facilities.pincodes`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
#: LGD district codes are at most four digits; a facility's `district_code` column holds them
#: (a PostgreSQL smallint), so a larger number is refused as a shape, not sent to the database.
DISTRICT_CODE_MAX = 9999


@dataclass(frozen=True, slots=True)
class State:
    code: int
    name: str
    name_hi: str
    union_territory: bool = False


@dataclass(frozen=True, slots=True)
class District:
    code: int
    state_code: int
    name: str
    name_hi: str


STATES: tuple[State, ...] = (
    State(1, "Jammu and Kashmir", "जम्मू और कश्मीर", union_territory=True),
    State(2, "Himachal Pradesh", "हिमाचल प्रदेश"),
    State(3, "Punjab", "पंजाब"),
    State(4, "Chandigarh", "चंडीगढ़", union_territory=True),
    State(5, "Uttarakhand", "उत्तराखंड"),
    State(6, "Haryana", "हरियाणा"),
    State(7, "Delhi", "दिल्ली", union_territory=True),
    State(8, "Rajasthan", "राजस्थान"),
    State(9, "Uttar Pradesh", "उत्तर प्रदेश"),
    State(10, "Bihar", "बिहार"),
    State(11, "Sikkim", "सिक्किम"),
    State(12, "Arunachal Pradesh", "अरुणाचल प्रदेश"),
    State(13, "Nagaland", "नागालैंड"),
    State(14, "Manipur", "मणिपुर"),
    State(15, "Mizoram", "मिज़ोरम"),
    State(16, "Tripura", "त्रिपुरा"),
    State(17, "Meghalaya", "मेघालय"),
    State(18, "Assam", "असम"),
    State(19, "West Bengal", "पश्चिम बंगाल"),
    State(20, "Jharkhand", "झारखंड"),
    State(21, "Odisha", "ओडिशा"),
    State(22, "Chhattisgarh", "छत्तीसगढ़"),
    State(23, "Madhya Pradesh", "मध्य प्रदेश"),
    State(24, "Gujarat", "गुजरात"),
    State(27, "Maharashtra", "महाराष्ट्र"),
    State(28, "Andhra Pradesh", "आंध्र प्रदेश"),
    State(29, "Karnataka", "कर्नाटक"),
    State(30, "Goa", "गोवा"),
    State(31, "Lakshadweep", "लक्षद्वीप", union_territory=True),
    State(32, "Kerala", "केरल"),
    State(33, "Tamil Nadu", "तमिलनाडु"),
    State(34, "Puducherry", "पुडुचेरी", union_territory=True),
    State(35, "Andaman and Nicobar Islands", "अंडमान और निकोबार द्वीपसमूह", union_territory=True),
    State(36, "Telangana", "तेलंगाना"),
    State(37, "Ladakh", "लद्दाख", union_territory=True),
    State(
        38,
        "The Dadra and Nagar Haveli and Daman and Diu",
        "दादरा और नगर हवेली और दमन और दीव",
        union_territory=True,
    ),
)

# (district code, state code, name, Hindi name)
_DISTRICT_ROWS: tuple[tuple[int, int, str, str], ...] = (
    (13, 1, "Srinagar", "श्रीनगर"),
    (5, 1, "Jammu", "जम्मू"),
    (1, 1, "Anantnag", "अनंतनाग"),
    (23, 2, "Shimla", "शिमला"),
    (18, 2, "Kangra", "कांगड़ा"),
    (22, 2, "Mandi", "मंडी"),
    (36, 3, "Ludhiana", "लुधियाना"),
    (27, 3, "Amritsar", "अमृतसर"),
    (34, 3, "Jalandhar", "जालंधर"),
    (41, 3, "Patiala", "पटियाला"),
    (44, 4, "Chandigarh", "चंडीगढ़"),
    (49, 5, "Dehradun", "देहरादून"),
    (50, 5, "Haridwar", "हरिद्वार"),
    (51, 5, "Nainital", "नैनीताल"),
    (62, 6, "Gurugram", "गुरुग्राम"),
    (60, 6, "Faridabad", "फ़रीदाबाद"),
    (63, 6, "Hisar", "हिसार"),
    (58, 6, "Ambala", "अंबाला"),
    (77, 7, "Central", "मध्य दिल्ली"),
    (78, 7, "East", "पूर्वी दिल्ली"),
    (79, 7, "New Delhi", "नई दिल्ली"),
    (80, 7, "North", "उत्तरी दिल्ली"),
    (81, 7, "North East", "उत्तर पूर्वी दिल्ली"),
    (82, 7, "North West", "उत्तर पश्चिमी दिल्ली"),
    (671, 7, "Shahdara", "शाहदरा"),
    (83, 7, "South", "दक्षिणी दिल्ली"),
    (670, 7, "South East", "दक्षिण पूर्वी दिल्ली"),
    (84, 7, "South West", "दक्षिण पश्चिमी दिल्ली"),
    (85, 7, "West", "पश्चिमी दिल्ली"),
    (102, 8, "Jaipur", "जयपुर"),
    (107, 8, "Jodhpur", "जोधपुर"),
    (117, 8, "Udaipur", "उदयपुर"),
    (86, 8, "Ajmer", "अजमेर"),
    (109, 8, "Kota", "कोटा"),
    (93, 8, "Bikaner", "बीकानेर"),
    (162, 9, "Lucknow", "लखनऊ"),
    (187, 9, "Varanasi", "वाराणसी"),
    (120, 9, "Prayagraj", "प्रयागराज"),
    (118, 9, "Agra", "आगरा"),
    (157, 9, "Kanpur Nagar", "कानपुर नगर"),
    (148, 9, "Gorakhpur", "गोरखपुर"),
    (144, 9, "Gautam Buddha Nagar", "गौतम बुद्ध नगर"),
    (145, 9, "Ghaziabad", "ग़ाज़ियाबाद"),
    (212, 10, "Patna", "पटना"),
    (196, 10, "Gaya", "गया"),
    (208, 10, "Muzaffarpur", "मुज़फ़्फ़रपुर"),
    (192, 10, "Bhagalpur", "भागलपुर"),
    (195, 10, "Darbhanga", "दरभंगा"),
    (225, 11, "Gangtok", "गंगटोक"),
    (237, 12, "Papum Pare", "पापुम पारे"),
    (245, 13, "Kohima", "कोहिमा"),
    (244, 13, "Dimapur", "दीमापुर"),
    (256, 14, "Imphal West", "इंफाल पश्चिम"),
    (261, 15, "Aizawl", "आइज़ोल"),
    (272, 16, "West Tripura", "पश्चिम त्रिपुरा"),
    (274, 17, "East Khasi Hills", "पूर्वी खासी हिल्स"),
    (618, 18, "Kamrup Metro", "कामरूप महानगर"),
    (286, 18, "Dibrugarh", "डिब्रूगढ़"),
    (282, 18, "Cachar", "कछार"),
    (297, 18, "Nagaon", "नगांव"),
    (315, 19, "Kolkata", "कोलकाता"),
    (313, 19, "Howrah", "हावड़ा"),
    (309, 19, "Darjeeling", "दार्जिलिंग"),
    (303, 19, "24 Paraganas North", "उत्तर 24 परगना"),
    (319, 19, "Murshidabad", "मुर्शिदाबाद"),
    (339, 20, "Ranchi", "रांची"),
    (325, 20, "Dhanbad", "धनबाद"),
    (327, 20, "East Singhbum", "पूर्वी सिंहभूम"),
    (322, 20, "Bokaro", "बोकारो"),
    (362, 21, "Khordha", "खोरधा"),
    (350, 21, "Cuttack", "कटक"),
    (354, 21, "Ganjam", "गंजाम"),
    (369, 21, "Puri", "पुरी"),
    (371, 21, "Sambalpur", "संबलपुर"),
    (387, 22, "Raipur", "रायपुर"),
    (375, 22, "Bilaspur", "बिलासपुर"),
    (378, 22, "Durg", "दुर्ग"),
    (374, 22, "Bastar", "बस्तर"),
    (396, 23, "Bhopal", "भोपाल"),
    (410, 23, "Indore", "इंदौर"),
    (411, 23, "Jabalpur", "जबलपुर"),
    (407, 23, "Gwalior", "ग्वालियर"),
    (435, 23, "Ujjain", "उज्जैन"),
    (438, 24, "Ahmadabad", "अहमदाबाद"),
    (459, 24, "Surat", "सूरत"),
    (461, 24, "Vadodara", "वडोदरा"),
    (457, 24, "Rajkot", "राजकोट"),
    (449, 24, "Kachchh", "कच्छ"),
    (482, 27, "Mumbai", "मुंबई"),
    (483, 27, "Mumbai Suburban", "मुंबई उपनगर"),
    (490, 27, "Pune", "पुणे"),
    (484, 27, "Nagpur", "नागपुर"),
    (497, 27, "Thane", "ठाणे"),
    (487, 27, "Nashik", "नासिक"),
    (520, 28, "Visakhapatanam", "विशाखापत्तनम"),
    (506, 28, "Guntur", "गुंटूर"),
    (510, 28, "Krishna", "कृष्णा"),
    (503, 28, "Chittoor", "चित्तूर"),
    (502, 28, "Anantapur", "अनंतपुर"),
    (525, 29, "Bengaluru Urban", "बेंगलुरु शहरी"),
    (545, 29, "Mysuru", "मैसूरु"),
    (527, 29, "Belagavi", "बेलगावी"),
    (534, 29, "Dakshina Kannada", "दक्षिण कन्नड़"),
    (538, 29, "Kalaburagi", "कलबुर्गी"),
    (551, 30, "North Goa", "उत्तर गोवा"),
    (552, 30, "South Goa", "दक्षिण गोवा"),
    (553, 31, "Lakshadweep District", "लक्षद्वीप"),
    (565, 32, "Thiruvananthapuram", "तिरुवनंतपुरम"),
    (555, 32, "Ernakulam", "एर्णाकुलम"),
    (561, 32, "Kozhikode", "कोझिकोड"),
    (566, 32, "Thrissur", "त्रिशूर"),
    (562, 32, "Malappuram", "मलप्पुरम"),
    (568, 33, "Chennai", "चेन्नई"),
    (569, 33, "Coimbatore", "कोयंबटूर"),
    (578, 33, "Madurai", "मदुरै"),
    (591, 33, "Tiruchirappalli", "तिरुचिरापल्ली"),
    (584, 33, "Salem", "सेलम"),
    (600, 34, "Pondicherry", "पुडुचेरी"),
    (598, 34, "Karaikal", "कराईकल"),
    (602, 35, "South Andamans", "दक्षिण अंडमान"),
    (507, 36, "Hyderabad", "हैदराबाद"),
    (518, 36, "Ranga Reddy", "रंगारेड्डी"),
    (700, 36, "Medchal Malkajgiri", "मेड्चल मलकाजगिरी"),
    (522, 36, "Warangal", "वारंगल"),
    (508, 36, "Karimnagar", "करीमनगर"),
    (9, 37, "Leh Ladakh", "लेह"),
    (6, 37, "Kargil", "कारगिल"),
    (465, 38, "Dadra and Nagar Haveli", "दादरा और नगर हवेली"),
    (463, 38, "Daman", "दमन"),
    (464, 38, "Diu", "दीव"),
)


def _all_districts() -> tuple[District, ...]:
    """Every LGD district; the named rows above give their Hindi (and common English) names."""
    named = {row[0]: District(*row) for row in _DISTRICT_ROWS}
    rows: list[District] = []
    with (DATA / "lgd_districts.csv").open(encoding="utf-8") as handle:
        for code, state_code, english in csv.reader(line for line in handle if line[0] != "#"):
            known = named.get(int(code))
            rows.append(known or District(int(code), int(state_code), english, english))
    return tuple(rows)


DISTRICTS: tuple[District, ...] = _all_districts()


@cache
def _states_by_code() -> dict[int, State]:
    return {state.code: state for state in STATES}


@cache
def _districts_by_code() -> dict[int, District]:
    return {district.code: district for district in DISTRICTS}


def state(code: int) -> State | None:
    return _states_by_code().get(code)


def district(code: int) -> District | None:
    return _districts_by_code().get(code)


def districts_of(state_code: int) -> tuple[District, ...]:
    """The known districts of one state, by English name (the order a menu shows them)."""
    return tuple(sorted((d for d in DISTRICTS if d.state_code == state_code), key=lambda d: d.name))


def find_districts(text: str) -> list[District]:
    """Districts whose English or Hindi name contains `text` (a person typing in a chat)."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return []
    return [d for d in DISTRICTS if needle in d.name.casefold() or needle in d.name_hi]


def name(place: State | District, lang: str) -> str:
    """The name to show a person reading `lang`."""
    return place.name_hi if lang == "hi" else place.name
