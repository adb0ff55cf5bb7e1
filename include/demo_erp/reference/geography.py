"""Where the demo company works. Weighted by list position so a few metros dominate, as in a real GC."""

from __future__ import annotations

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
