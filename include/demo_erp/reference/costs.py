"""Company-wide cost types and cost codes; weights shape budgets so big trades cost more."""

from __future__ import annotations

from dataclasses import dataclass

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
