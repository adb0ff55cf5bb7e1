"""Vendor trades; each one's phase on the job timeline is what orders its commitments and bills."""

from __future__ import annotations

from dataclasses import dataclass


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
