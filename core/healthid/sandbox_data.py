"""Synthetic people for the Aadhaar sandbox: Indian names and real places.

Why real LGD codes: what the sandbox returns flows into the card's QR (`statelgd`, `distlgd`)
and into records partners read, so the codes must be ones a real ABDM system knows. The codes
are the Local Government Directory's (state code, district code); PIN codes are each
district headquarters' head post office.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    state: str
    state_lgd: int
    district: str
    district_lgd: int
    pin_code: str


PLACES: tuple[Place, ...] = (
    Place("Uttar Pradesh", 9, "Lucknow", 162, "226001"),
    Place("Uttar Pradesh", 9, "Varanasi", 187, "221001"),
    Place("Uttar Pradesh", 9, "Agra", 118, "282001"),
    Place("Uttar Pradesh", 9, "Kanpur Nagar", 157, "208001"),
    Place("Bihar", 10, "Patna", 212, "800001"),
    Place("Bihar", 10, "Gaya", 196, "823001"),
    Place("Rajasthan", 8, "Jaipur", 102, "302001"),
    Place("Rajasthan", 8, "Jodhpur", 107, "342001"),
    Place("Delhi", 7, "New Delhi", 79, "110001"),
    Place("Uttarakhand", 5, "Dehradun", 49, "248001"),
    Place("West Bengal", 19, "Kolkata", 315, "700001"),
    Place("Gujarat", 24, "Ahmadabad", 438, "380001"),
    Place("Punjab", 3, "Ludhiana", 36, "141001"),
    Place("Tamil Nadu", 33, "Chennai", 568, "600001"),
    Place("Telangana", 36, "Hyderabad", 507, "500001"),
)

MALE_NAMES: tuple[str, ...] = (
    "Ramesh", "Suresh", "Amit", "Rahul", "Vikas", "Sanjay", "Arjun", "Mohan", "Anil", "Deepak",
    "Manoj", "Rajesh", "Imran", "Harpreet", "Karthik", "Sunil",
)  # fmt: skip
FEMALE_NAMES: tuple[str, ...] = (
    "Sunita", "Priya", "Anjali", "Pooja", "Kavita", "Meena", "Neha", "Rekha", "Asha", "Geeta",
    "Fatima", "Lakshmi", "Savita", "Divya", "Nisha", "Shabnam",
)  # fmt: skip
OTHER_NAMES: tuple[str, ...] = ("Kiran", "Ravi", "Noor", "Jyoti")
MIDDLE_NAMES: tuple[str, ...] = ("Kumar", "Prasad", "Devi", "Lal", "Chand", "Rani")
SURNAMES: tuple[str, ...] = (
    "Sharma", "Verma", "Singh", "Yadav", "Gupta", "Kumar", "Mishra", "Patel", "Khan", "Das",
    "Reddy", "Iyer", "Chauhan", "Joshi", "Pandey", "Ansari",
)  # fmt: skip
LOCALITIES: tuple[str, ...] = (
    "Gandhi Nagar", "Civil Lines", "Shastri Nagar", "Station Road", "Nehru Colony",
    "Rajendra Nagar", "Sadar Bazar", "Indira Colony",
)  # fmt: skip
