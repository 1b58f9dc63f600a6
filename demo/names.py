"""Invented names for the demo ICB: none is a real Somerset PCN, practice, town or service."""

# (PCN name, home town, postcode district in a Somerset postcode area), one per PCN.
PLACES = (
    ("Levelmoor PCN", "Levelmoor", "TA7"),
    ("Hartcombe Vale PCN", "Hartcombe", "TA4"),
    ("Willowmead PCN", "Willowmead", "TA10"),
    ("Ashbrinton and District PCN", "Ashbrinton", "TA21"),
    ("Stowerby PCN", "Stowerby", "BA6"),
    ("Merrowdown PCN", "Merrowdown", "BA4"),
    ("Fennick Coast PCN", "Fennick", "TA8"),
    ("Thornhaven PCN", "Thornhaven", "BA22"),
    ("Brackenfold PCN", "Brackenfold", "BA11"),
    ("Kestlemoor PCN", "Kestlemoor", "TA20"),
    ("Tarrowford PCN", "Tarrowford", "BS27"),
    ("Saltmere Levels PCN", "Saltmere", "BS28"),
    ("Dunstowe PCN", "Dunstowe", "TA1"),
)
UNALLOCATED_PLACE = ("Yarnford", "BA9")

PRACTICE_STEMS = (
    "Brookfield", "The Old Mill", "Orchard House", "Millbrook", "The Grange", "Church View",
    "Fairfield", "Beechwood", "Hollybank", "The Laurels", "Riverside", "Elmtree", "Highfield",
    "Westgate", "Eastover", "Meadowside", "Oaklands", "Ashgrove", "Cedar Lodge", "Priory Lane",
    "Market Place", "Bridge Street", "Hillcrest", "Valley View", "Lime Tree", "Rowan House",
    "Willow Green", "Larkrise", "Foxdene", "Kingfisher", "Parkside", "Summerhill", "Springfield",
    "Woodlands", "The Meads", "Stonebridge", "Greenacre", "Oakfield", "Harbour View", "Castle Mead",
    "Abbey Close", "Tithe Barn", "Wessex House", "Quarry Hill", "Chapel Row", "Linden",
    "Old School", "Northgate", "Southfield", "Station House", "Clock Tower", "Moorland",
    "Cliffside", "Coach House", "Bramble Hill", "Juniper", "Wheatsheaf", "Mulberry", "Tannery",
    "Copper Beech", "Falcon House", "Seaview", "Cider Press", "Horseshoe", "Bluebell",
    "Saxon House", "Poplar",
)  # fmt: skip
PRACTICE_SUFFIXES = (
    "Surgery", "Surgery", "Medical Centre", "Medical Practice", "Health Centre", "Family Practice",
    "Group Practice",
)  # fmt: skip
STREETS = (
    "Mill Lane", "Station Road", "Church Street", "Orchard Way", "High Street", "West Street",
    "Fore Street", "Bridge Road", "Park Lane", "Castle Street", "Moor Lane", "Priory Road",
)  # fmt: skip
BUILDINGS = ("The Surgery", "Health Centre", "Medical Centre", "Primary Care Centre")
# Inward-code letters: postcodes never use C, I, K, M, O or V in the last two places.
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Non-GP prescribing cost centres that share epraccur with practices: (name, role, legacy setting).
SITES = (
    ("Dunstowe Out of Hours Service", "RO80", "2"),
    ("HMP Graymoor Healthcare", "RO82", "25"),  # a prison service, as ODS codes one
)
