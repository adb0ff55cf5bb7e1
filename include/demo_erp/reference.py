"""Reference data the generator draws from: codes, trades, places and names.

Kept as plain tuples so generation needs nothing beyond the standard library and the output does not
depend on third-party data that changes between releases.
"""

from __future__ import annotations

from dataclasses import dataclass

#: ISO-3166-2 subdivision codes (without the country prefix) of the countries the demo ERP uses.
SUBDIVISIONS: dict[str, frozenset[str]] = {
    "US": frozenset(
        "AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT NC ND NE "
        "NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UM UT VA VI VT WA WI WV WY".split()
    ),
    "CA": frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split()),
    "MX": frozenset(
        "AGU BCN BCS CAM CHH CHP CMX COA COL DUR GRO GUA HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SIN SLP "
        "SON TAB TAM TLA VER YUC ZAC".split()
    ),
}

#: Values that look like codes but are not ISO-3166 (UK is only "exceptionally reserved"; GB is the code).
INVALID_COUNTRIES: tuple[str, ...] = ("XX", "UK", "ZZ", "EN")

#: Per country, state codes users really type that are not ISO-3166-2 subdivisions of that country.
INVALID_STATES: dict[str, tuple[str, ...]] = {
    "US": ("ZZ", "TX.", "Calif", "ON", "QQ"),
    "CA": ("PQ", "NF", "ZZ"),  # pre-ISO abbreviations of Québec and Newfoundland
    "MX": ("DF", "NL", "ZZ"),  # Distrito Federal (now CMX); two-letter Nuevo León
}

#: Control characters planted in dirty names, always mid-string so trimming cannot remove them.
CONTROL_SNIPPETS: tuple[str, ...] = ("\x07", "\x1b[0m", "\x08", "\x7f", "\x0b", "\x1b")

#: (code, description, base_type) — company-wide cost types (Procore line item types).
COST_TYPES: tuple[tuple[str, str, str], ...] = (
    ("L", "Labor", "other"),
    ("M", "Materials", "materials"),
    ("E", "Equipment", "equipment"),
    ("SUB", "Subcontract", "commitment"),
    ("S", "Professional Services", "professional_services"),
    ("O", "Other", "other"),
    ("OC", "Owner Cost", "owner_cost"),
)

#: Procore's base types, which the ``cost_type.base_type`` column must take.
BASE_TYPES: frozenset[str] = frozenset(
    {"equipment", "materials", "commitment", "owner_cost", "professional_services", "other"}
)


@dataclass(frozen=True)
class CostCode:
    """A CSI MasterFormat-style cost code with the cost types a budget usually carries for it."""

    code: str
    description: str
    cost_types: tuple[str, ...]
    weight: float


COST_CODES: tuple[CostCode, ...] = (
    CostCode("01-100", "General Requirements", ("L", "O"), 3.0),
    CostCode("01-310", "Project Management & Supervision", ("L",), 4.0),
    CostCode("01-320", "Surveying & Layout", ("S",), 0.4),
    CostCode("01-410", "Testing & Inspection", ("S",), 0.5),
    CostCode("01-420", "Permits & Fees", ("OC", "O"), 0.6),
    CostCode("01-500", "Temporary Facilities & Controls", ("M", "E", "O"), 1.5),
    CostCode("01-540", "Equipment Rental", ("E",), 1.2),
    CostCode("01-560", "Temporary Barriers & Enclosures", ("M", "E"), 0.5),
    CostCode("01-740", "Cleaning & Waste Management", ("L", "SUB"), 0.8),
    CostCode("02-410", "Demolition", ("SUB",), 1.0),
    CostCode("03-100", "Concrete Forming & Accessories", ("SUB", "M", "L"), 2.0),
    CostCode("03-200", "Concrete Reinforcing", ("SUB", "M"), 2.0),
    CostCode("03-300", "Cast-in-Place Concrete", ("SUB", "M", "L"), 5.0),
    CostCode("03-400", "Precast Concrete", ("SUB",), 2.0),
    CostCode("04-200", "Unit Masonry", ("SUB",), 2.5),
    CostCode("05-120", "Structural Steel Framing", ("SUB", "M"), 5.0),
    CostCode("05-500", "Metal Fabrications", ("SUB",), 1.2),
    CostCode("06-100", "Rough Carpentry", ("SUB", "L", "M"), 2.0),
    CostCode("06-200", "Finish Carpentry & Millwork", ("SUB",), 1.5),
    CostCode("07-100", "Dampproofing & Waterproofing", ("SUB",), 1.0),
    CostCode("07-210", "Thermal Insulation", ("SUB",), 0.8),
    CostCode("07-500", "Membrane Roofing", ("SUB",), 2.5),
    CostCode("07-900", "Joint Sealants", ("SUB",), 0.4),
    CostCode("08-110", "Steel Doors & Frames", ("M", "SUB"), 0.8),
    CostCode("08-400", "Entrances, Storefronts & Curtain Walls", ("SUB",), 4.0),
    CostCode("08-700", "Door Hardware", ("M",), 0.6),
    CostCode("08-800", "Glazing", ("SUB",), 1.0),
    CostCode("09-200", "Plaster & Gypsum Board", ("SUB",), 3.5),
    CostCode("09-300", "Tiling", ("SUB",), 1.0),
    CostCode("09-500", "Acoustical Ceilings", ("SUB",), 1.2),
    CostCode("09-650", "Resilient Flooring", ("SUB",), 1.2),
    CostCode("09-900", "Painting & Coating", ("SUB",), 1.5),
    CostCode("10-100", "Specialties", ("M", "SUB"), 0.7),
    CostCode("14-200", "Elevators", ("SUB",), 2.0),
    CostCode("21-100", "Fire Suppression", ("SUB",), 2.0),
    CostCode("22-100", "Plumbing", ("SUB",), 4.5),
    CostCode("23-000", "HVAC", ("SUB",), 7.0),
    CostCode("26-000", "Electrical", ("SUB",), 7.0),
    CostCode("27-000", "Communications", ("SUB",), 1.2),
    CostCode("28-000", "Electronic Safety & Security", ("SUB",), 1.0),
    CostCode("31-100", "Site Clearing", ("SUB", "E"), 0.6),
    CostCode("31-200", "Earth Moving", ("SUB", "E", "L"), 2.5),
    CostCode("31-500", "Excavation Support & Protection", ("SUB",), 1.0),
    CostCode("32-100", "Paving", ("SUB",), 1.5),
    CostCode("32-900", "Planting & Landscaping", ("SUB",), 0.8),
    CostCode("33-100", "Water Utilities", ("SUB",), 1.0),
    CostCode("33-300", "Sanitary Sewerage", ("SUB",), 1.0),
)

#: Cost codes every job carries.
CORE_COST_CODES: tuple[str, ...] = ("01-100", "01-310", "01-500", "01-740")


@dataclass(frozen=True)
class Trade:
    """A kind of vendor: what it is called, what it bills, and when on a job it works.

    ``role`` is SC (subcontractor: commitments are work orders), PO (supplier: purchase orders and AP
    invoices) or AP (billed through AP only: rentals, services).
    """

    key: str
    role: str
    cost_codes: tuple[str, ...]
    words: tuple[str, ...]
    phase: tuple[float, float]
    items: tuple[str, ...]


#: Schedule-of-values lines every subcontract may carry besides its trade's own.
SC_COMMON_ITEMS = ("Mobilization", "Bonds & insurance", "Submittals & shop drawings", "Closeout & warranty")

TRADES: tuple[Trade, ...] = (
    Trade(
        "concrete",
        "SC",
        ("03-100", "03-200", "03-300"),
        ("Concrete", "Concrete Construction", "Foundations", "Flatwork"),
        (0.10, 0.45),
        ("Footings", "Foundation walls", "Slab on grade", "Elevated decks", "Site concrete"),
    ),
    Trade(
        "rebar",
        "SC",
        ("03-200",),
        ("Rebar", "Reinforcing Steel"),
        (0.10, 0.40),
        ("Footing reinforcing", "Wall reinforcing", "Deck reinforcing", "Post-tensioning"),
    ),
    Trade(
        "precast",
        "SC",
        ("03-400",),
        ("Precast", "Precast Structures"),
        (0.20, 0.50),
        ("Precast panels", "Hollow-core planks", "Erection"),
    ),
    Trade(
        "masonry",
        "SC",
        ("04-200",),
        ("Masonry", "Brick & Block", "Stone Works"),
        (0.30, 0.60),
        ("CMU walls", "Brick veneer", "Cast stone", "Grout & reinforcing"),
    ),
    Trade(
        "steel",
        "SC",
        ("05-120", "05-500"),
        ("Steel Erectors", "Structural Steel", "Iron Works", "Steel Fabricators"),
        (0.20, 0.50),
        ("Structural steel", "Metal deck", "Misc. metals", "Stairs & railings"),
    ),
    Trade(
        "carpentry",
        "SC",
        ("06-100", "06-200"),
        ("Framing", "Carpentry", "Millwork"),
        (0.30, 0.85),
        ("Wood framing", "Blocking", "Casework", "Trim"),
    ),
    Trade(
        "waterproofing",
        "SC",
        ("07-100", "07-900"),
        ("Waterproofing", "Sealants"),
        (0.30, 0.70),
        ("Below-grade waterproofing", "Air barrier", "Joint sealants"),
    ),
    Trade(
        "roofing",
        "SC",
        ("07-500", "07-210"),
        ("Roofing", "Roof Systems"),
        (0.40, 0.70),
        ("TPO roofing", "Roof insulation", "Flashing & sheet metal"),
    ),
    Trade(
        "glazing",
        "SC",
        ("08-400", "08-800"),
        ("Glass & Glazing", "Curtain Wall", "Glass"),
        (0.45, 0.75),
        ("Curtain wall", "Storefront", "Interior glazing"),
    ),
    Trade(
        "drywall",
        "SC",
        ("09-200", "09-500"),
        ("Drywall", "Interiors", "Acoustics", "Wall Systems"),
        (0.50, 0.90),
        ("Metal stud framing", "Gypsum board", "Taping & finishing", "Acoustical ceilings"),
    ),
    Trade(
        "flooring",
        "SC",
        ("09-300", "09-650"),
        ("Flooring", "Tile & Stone", "Floor Covering"),
        (0.70, 0.95),
        ("Ceramic tile", "LVT", "Carpet tile", "Base"),
    ),
    Trade(
        "painting",
        "SC",
        ("09-900",),
        ("Painting", "Coatings", "Painting & Wallcovering"),
        (0.70, 0.98),
        ("Interior painting", "Exterior coatings", "Wallcovering"),
    ),
    Trade(
        "elevator",
        "SC",
        ("14-200",),
        ("Elevator", "Vertical Transportation"),
        (0.50, 0.90),
        ("Passenger elevator", "Service elevator", "Maintenance"),
    ),
    Trade(
        "fire",
        "SC",
        ("21-100",),
        ("Fire Protection", "Fire Sprinkler"),
        (0.40, 0.90),
        ("Underground fire line", "Sprinkler rough-in", "Sprinkler trim", "Fire pump"),
    ),
    Trade(
        "plumbing",
        "SC",
        ("22-100",),
        ("Plumbing", "Plumbing & Piping"),
        (0.20, 0.95),
        ("Underground plumbing", "Rough-in", "Fixtures", "Domestic water"),
    ),
    Trade(
        "hvac",
        "SC",
        ("23-000",),
        ("Mechanical", "Heating & Air", "HVAC", "Air Systems"),
        (0.30, 0.95),
        ("Ductwork", "Equipment", "Hydronic piping", "Controls", "Test & balance"),
    ),
    Trade(
        "electrical",
        "SC",
        ("26-000",),
        ("Electric", "Electrical Contractors", "Power & Light"),
        (0.20, 0.98),
        ("Underground electrical", "Rough-in", "Switchgear", "Lighting", "Trim-out"),
    ),
    Trade(
        "lowvoltage",
        "SC",
        ("27-000", "28-000"),
        ("Low Voltage", "Security Systems", "Communications", "Data & Telecom"),
        (0.60, 0.98),
        ("Structured cabling", "Access control", "Fire alarm", "Cameras"),
    ),
    Trade(
        "earthwork",
        "SC",
        ("31-100", "31-200", "31-500"),
        ("Excavating", "Earthworks", "Grading", "Dirt Works"),
        (0.00, 0.30),
        ("Clearing & grubbing", "Mass excavation", "Shoring", "Fine grading"),
    ),
    Trade(
        "demolition",
        "SC",
        ("02-410",),
        ("Demolition", "Wrecking"),
        (0.00, 0.15),
        ("Selective demolition", "Abatement", "Haul-off"),
    ),
    Trade(
        "paving",
        "SC",
        ("32-100",),
        ("Paving", "Asphalt"),
        (0.80, 1.00),
        ("Asphalt paving", "Striping", "Curb & gutter"),
    ),
    Trade(
        "landscaping",
        "SC",
        ("32-900",),
        ("Landscaping", "Landscape", "Greenscapes"),
        (0.85, 1.00),
        ("Irrigation", "Planting", "Sod", "Maintenance period"),
    ),
    Trade(
        "utilities",
        "SC",
        ("33-100", "33-300"),
        ("Underground Utilities", "Pipeline", "Utility Contractors"),
        (0.05, 0.35),
        ("Water main", "Sanitary sewer", "Storm drain", "Tie-ins"),
    ),
    Trade(
        "building_supply",
        "PO",
        ("03-300", "06-100", "09-200", "10-100", "01-500"),
        ("Building Supply", "Lumber", "Supply", "Building Materials"),
        (0.10, 0.90),
        ("Lumber", "Fasteners", "Gypsum board", "Concrete accessories", "Sheathing"),
    ),
    Trade(
        "ready_mix",
        "PO",
        ("03-300",),
        ("Ready Mix", "Aggregates"),
        (0.10, 0.45),
        ("4000 psi concrete", "5000 psi concrete", "Pump truck", "Aggregate base"),
    ),
    Trade(
        "doors",
        "PO",
        ("08-110", "08-700"),
        ("Door & Hardware", "Doors & Frames"),
        (0.50, 0.85),
        ("Hollow metal frames", "Wood doors", "Hardware sets"),
    ),
    Trade(
        "specialties",
        "PO",
        ("10-100",),
        ("Specialties", "Building Products"),
        (0.70, 0.95),
        ("Toilet accessories", "Signage", "Fire extinguishers", "Lockers"),
    ),
    Trade(
        "equipment",
        "AP",
        ("01-540", "31-200"),
        ("Equipment Rental", "Crane Service", "Rentals", "Lift & Equipment"),
        (0.00, 1.00),
        ("Boom lift rental", "Crane day rate", "Skid steer rental"),
    ),
    Trade(
        "professional",
        "AP",
        ("01-410", "01-320"),
        ("Testing Labs", "Surveying", "Engineering", "Geotechnical"),
        (0.00, 1.00),
        ("Concrete testing", "Construction staking", "Special inspection"),
    ),
    Trade(
        "site_services",
        "AP",
        ("01-500", "01-740", "01-560"),
        ("Sanitation", "Waste Services", "Site Services", "Fence & Barricade"),
        (0.00, 1.00),
        ("Portable toilets", "Dumpster haul", "Temporary fence", "Final clean"),
    ),
)

TRADE_BY_KEY: dict[str, Trade] = {t.key: t for t in TRADES}

PO_UNITS: tuple[str, ...] = ("EA", "LF", "SF", "CY", "TON", "LS")

#: (city, state, postal prefix, area code) — weight follows list position (earlier is busier).
US_PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("Austin", "TX", "787", "512"),
    ("Dallas", "TX", "752", "214"),
    ("Houston", "TX", "770", "713"),
    ("San Antonio", "TX", "782", "210"),
    ("Fort Worth", "TX", "761", "817"),
    ("El Paso", "TX", "799", "915"),
    ("Phoenix", "AZ", "850", "602"),
    ("Tucson", "AZ", "857", "520"),
    ("Denver", "CO", "802", "303"),
    ("Salt Lake City", "UT", "841", "801"),
    ("Las Vegas", "NV", "891", "702"),
    ("Los Angeles", "CA", "900", "213"),
    ("San Diego", "CA", "921", "619"),
    ("Sacramento", "CA", "958", "916"),
    ("San Jose", "CA", "951", "408"),
    ("San Francisco", "CA", "941", "415"),
    ("Torrance", "CA", "905", "310"),
    ("Seattle", "WA", "981", "206"),
    ("Spokane", "WA", "992", "509"),
    ("Portland", "OR", "972", "503"),
    ("Boise", "ID", "837", "208"),
    ("Albuquerque", "NM", "871", "505"),
    ("Oklahoma City", "OK", "731", "405"),
    ("Kansas City", "MO", "641", "816"),
    ("St. Louis", "MO", "631", "314"),
    ("Omaha", "NE", "681", "402"),
    ("Minneapolis", "MN", "554", "612"),
    ("Chicago", "IL", "606", "312"),
    ("Milwaukee", "WI", "532", "414"),
    ("Detroit", "MI", "482", "313"),
    ("Dearborn", "MI", "481", "313"),
    ("Columbus", "OH", "432", "614"),
    ("Cleveland", "OH", "441", "216"),
    ("Indianapolis", "IN", "462", "317"),
    ("Nashville", "TN", "372", "615"),
    ("Memphis", "TN", "381", "901"),
    ("Atlanta", "GA", "303", "404"),
    ("Charlotte", "NC", "282", "704"),
    ("Raleigh", "NC", "276", "919"),
    ("Columbia", "SC", "292", "803"),
    ("Jacksonville", "FL", "322", "904"),
    ("Orlando", "FL", "328", "407"),
    ("Miami", "FL", "331", "305"),
    ("Tampa", "FL", "336", "813"),
    ("Birmingham", "AL", "352", "205"),
    ("New Orleans", "LA", "701", "504"),
    ("Louisville", "KY", "402", "502"),
    ("Richmond", "VA", "232", "804"),
    ("Baltimore", "MD", "212", "410"),
    ("Philadelphia", "PA", "191", "215"),
    ("Pittsburgh", "PA", "152", "412"),
    ("Newark", "NJ", "071", "973"),
    ("New York", "NY", "100", "212"),
    ("Boston", "MA", "021", "617"),
    ("Hartford", "CT", "061", "860"),
    ("Providence", "RI", "029", "401"),
    ("Washington", "DC", "200", "202"),
    ("Honolulu", "HI", "968", "808"),
    ("Anchorage", "AK", "995", "907"),
    ("Burlington", "VT", "054", "802"),
    ("Manchester", "NH", "031", "603"),
    ("Portland", "ME", "041", "207"),
    ("Charleston", "WV", "253", "304"),
    ("Little Rock", "AR", "722", "501"),
    ("Jackson", "MS", "392", "601"),
    ("Des Moines", "IA", "503", "515"),
    ("Fargo", "ND", "581", "701"),
    ("Sioux Falls", "SD", "571", "605"),
    ("Billings", "MT", "591", "406"),
    ("Cheyenne", "WY", "820", "307"),
    ("Wilmington", "DE", "198", "302"),
    ("Wichita", "KS", "672", "316"),
    ("San Juan", "PR", "009", "787"),
)

#: (city, province, forward sortation area, area code)
CA_PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("Toronto", "ON", "M5V", "416"),
    ("Vancouver", "BC", "V6B", "604"),
    ("Montréal", "QC", "H3B", "514"),
    ("Calgary", "AB", "T2P", "403"),
    ("Ottawa", "ON", "K1P", "613"),
    ("Winnipeg", "MB", "R3C", "204"),
    ("Halifax", "NS", "B3J", "902"),
)

#: (city, state, postal prefix, area code)
MX_PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("Ciudad de México", "CMX", "066", "55"),
    ("Monterrey", "NLE", "640", "81"),
    ("Guadalajara", "JAL", "441", "33"),
    ("Tijuana", "BCN", "220", "664"),
    ("Querétaro", "QUE", "760", "442"),
)

US_STREETS: tuple[str, ...] = (
    "Main St",
    "Industrial Blvd",
    "Commerce Dr",
    "Oak Ave",
    "Elm St",
    "Market St",
    "Parkway Dr",
    "Railroad Ave",
    "Airport Rd",
    "Highway 71",
    "Lakeshore Dr",
    "Mill Rd",
    "Quarry Rd",
    "Foundry Way",
    "Warehouse Row",
    "Congress Ave",
    "Burnet Rd",
    "Pecan St",
    "W 5th St",
    "E Cesar Chavez St",
    "N Lamar Blvd",
    "Research Blvd",
    "Technology Dr",
    "Distribution Way",
    "Enterprise Pkwy",
    "Old Settlers Blvd",
    "County Road 110",
    "Frontage Rd",
    "Martin Luther King Jr Blvd",
    "Broadway",
    "Peachtree St NE",
    "Wacker Dr",
    "Colfax Ave",
    "Camelback Rd",
)
CA_STREETS: tuple[str, ...] = (
    "King St W",
    "Bay St",
    "Granville St",
    "Macleod Trail SE",
    "Portage Ave",
    "Barrington St",
    "Bank St",
)
CA_STREETS_QC: tuple[str, ...] = ("rue Saint-Jacques", "boulevard René-Lévesque O", "rue Sherbrooke E")
MX_STREETS: tuple[str, ...] = (
    "Av. Insurgentes Sur",
    "Calle Río Lerma",
    "Av. Constitución",
    "Blvd. Agua Caliente",
    "Av. Vallarta",
    "Paseo de la Reforma",
    "Av. Revolución",
)

NAME_PREFIXES: tuple[str, ...] = (
    "Apex",
    "Summit",
    "Pinnacle",
    "Blue Ridge",
    "Redwood",
    "Lone Star",
    "Keystone",
    "Cornerstone",
    "Ironclad",
    "Heritage",
    "Precision",
    "Allied",
    "Pacific",
    "Atlantic",
    "Great Lakes",
    "Sierra",
    "Cascade",
    "Frontier",
    "Liberty",
    "Patriot",
    "Eagle",
    "Falcon",
    "Titan",
    "Vanguard",
    "Meridian",
    "Horizon",
    "Silverline",
    "Northstar",
    "Southwest",
    "Evergreen",
    "Riverbend",
    "Canyon",
    "Mesa",
    "Bayou",
    "Prairie",
    "Coastal",
    "Metro",
    "Capitol",
    "Tri-County",
    "Bedrock",
    "Anchor",
    "Benchmark",
    "Legacy",
    "Premier",
    "Quality",
    "Reliable",
    "Superior",
    "United",
    "Valley",
    "Western",
    "Diamond",
    "Elite",
    "Empire",
    "Hallmark",
    "Mountain",
    "Oak Hill",
    "Pioneer",
    "Sterling",
    "Stonebridge",
    "Granite",
    "Red River",
    "Hill Country",
    "Gulf Coast",
    "Big Sky",
    "Rio Grande",
    "Twin Peaks",
    "Ace",
    "A-1",
    "AAA",
    "First Choice",
    "Brazos",
    "Cedar Creek",
    "Copperline",
)
SURNAMES: tuple[str, ...] = (
    "Johnson",
    "Martinez",
    "Nguyen",
    "O'Brien",
    "Kowalski",
    "Hernández",
    "García",
    "Patel",
    "Kim",
    "Schmidt",
    "Rossi",
    "Murphy",
    "Anderson",
    "Thompson",
    "Walker",
    "Young",
    "Brooks",
    "Reyes",
    "Castillo",
    "Okafor",
    "Yamamoto",
    "Larsen",
    "Dubois",
    "Fitzgerald",
    "McAllister",
    "Van der Berg",
    "Novak",
    "Chen",
    "Romero",
    "Sullivan",
    "Baker",
    "Whitfield",
    "Delgado",
    "Hoffmann",
    "Lindqvist",
    "Abernathy",
    "Petrov",
    "D'Angelo",
)
US_SUFFIXES: tuple[str, ...] = (
    "LLC",
    "Inc.",
    "Co.",
    "Corp.",
    "LLC",
    "Inc.",
    "Ltd.",
    "LP",
    "Group",
    "Company",
)
CA_SUFFIXES: tuple[str, ...] = ("Ltd.", "Inc.", "Ltée", "Corp.")
MX_SUFFIXES: tuple[str, ...] = ("S.A. de C.V.", "S. de R.L. de C.V.")

#: Clean names in odd but valid unicode: (name, country, state, city, trade).
UNICODE_VENDORS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Café Ñandú Construcción S.A. de C.V.", "MX", "CMX", "Ciudad de México", "concrete"),
    ("東京建設株式会社", "US", "CA", "Torrance", "building_supply"),
    ("🚧 Safety First Barricades LLC", "US", "TX", "Austin", "site_services"),
    ("Zoe\u0308 & Bjo\u0308rn Tile Werks", "US", "MN", "Minneapolis", "flooring"),
    ("Société Générale de Béton Québec Inc.", "CA", "QC", "Montréal", "ready_mix"),
    ("👷\u200d♀\ufe0f Women Builders Collective", "US", "CO", "Denver", "carpentry"),
    ("Łódź Steel & Ironworks Inc.", "US", "IL", "Chicago", "steel"),
    ("Ελληνικά Μάρμαρα Marble Co.", "US", "NY", "New York", "masonry"),
    ("Øresund Timber Frames", "US", "WA", "Seattle", "carpentry"),
    ("ＦＵＬＬＷＩＤＴＨ Scaffolding Ｃｏ．", "US", "NV", "Las Vegas", "equipment"),
    ("Đặng Việt Plumbing", "US", "TX", "Houston", "plumbing"),
    ("مؤسسة البناء الحديث Modern Build", "US", "MI", "Dearborn", "drywall"),
)

#: (name, country, state, city)
UNICODE_JOBS: tuple[tuple[str, str, str, str], ...] = (
    ("Résidence Les Érables — Phase II", "CA", "QC", "Montréal"),
    ("北京路 Mixed-Use Tower", "US", "CA", "San Francisco"),
    ("Niño Héroes Community Center 🏫", "US", "TX", "El Paso"),
    ("Ke\u0301ramos Art Museum Annex", "US", "OH", "Columbus"),
    ("Ωmega Labs R&D Building ⚗\ufe0f", "US", "MA", "Boston"),
)

JOB_PLACES: tuple[str, ...] = (
    "Riverside",
    "Lakeview",
    "Cedar Park",
    "Oak Hollow",
    "Harbor Point",
    "Mesa Verde",
    "Stonegate",
    "Willow Creek",
    "Pecan Grove",
    "Northgate",
    "Eastside",
    "Magnolia",
    "Bluebonnet",
    "Heritage Oaks",
    "Canyon Ridge",
    "Sunset Valley",
    "Mueller",
    "Westlake",
    "Brushy Creek",
    "Gateway",
    "Union Station",
    "Mill District",
    "Southpark",
    "Founders Square",
    "Red Oak",
    "Shoal Creek",
    "Prospect Hill",
    "Bayfront",
    "Midtown",
    "Uptown",
)
#: (building type, typical gross square feet)
BUILDING_TYPES: tuple[tuple[str, int], ...] = (
    ("Medical Office Building", 60000),
    ("Elementary School", 80000),
    ("High School Addition", 45000),
    ("Parking Structure", 150000),
    ("Mixed-Use Tower", 220000),
    ("Distribution Center", 400000),
    ("Fire Station", 14000),
    ("Public Library Renovation", 30000),
    ("Senior Living Community", 120000),
    ("Hotel & Conference Center", 180000),
    ("Data Center", 90000),
    ("Water Treatment Plant Upgrade", 35000),
    ("Retail Center", 70000),
    ("Corporate Campus Building", 110000),
    ("Apartments", 160000),
    ("Community Center", 25000),
    ("Police Headquarters", 55000),
    ("University Science Building", 130000),
    ("Hospital Tower Expansion", 200000),
    ("Cold Storage Warehouse", 140000),
)
DELIVERY_METHODS: tuple[str, ...] = (
    "CM at Risk with GMP",
    "Design-Bid-Build, lump sum",
    "Design-Build",
    "Negotiated cost plus fee",
)

CUSTOMER_PATTERNS: tuple[str, ...] = (
    "City of {city}",
    "{city} Independent School District",
    "{prefix} Development Partners LLC",
    "{prefix} Healthcare System",
    "{prefix} Properties Inc.",
    "{prefix} Realty Trust",
    "County of {city}",
    "{prefix} Hospitality Group",
    "{prefix} Logistics REIT",
    "{city} Housing Authority",
    "{prefix} University",
    "{prefix} Capital Partners LP",
)
