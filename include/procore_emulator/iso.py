"""ISO-3166 country and subdivision codes that Procore's ``country_code``/``state_code`` must match.

Embedded rather than imported so the emulator's verdicts never shift with a library upgrade. Generated
from the ISO-3166-1 and ISO-3166-2 tables (pycountry 26.2.16). Subdivisions are listed for the countries
the product's customers build in; for any other country a plausible code (1–3 uppercase letters or
digits) is accepted, because the emulator cannot know better and must not reject real data.
"""

from __future__ import annotations

import re

COUNTRY_CODES: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
    BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
    ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
    HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
    LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
    SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

SUBDIVISIONS: dict[str, frozenset[str]] = {
    "US": frozenset(
        """
        AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT NC
        ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UM UT VA VI VT WA WI WV WY
        """.split()
    ),
    "CA": frozenset(
        """
        AB BC MB NB NL NS NT NU ON PE QC SK YT
        """.split()
    ),
    "AU": frozenset(
        """
        ACT NSW NT QLD SA TAS VIC WA
        """.split()
    ),
    "GB": frozenset(
        """
        ABC ABD ABE AGB AGY AND ANN ANS BAS BBD BCP BDF BDG BEN BEX BFS BGE BGW BIR BKM BNE BNH BNS
        BOL BPL BRC BRD BRY BST BUR CAM CAY CBF CCG CGN CHE CHW CLD CLK CMA CMD CMN CON COV CRF CRY
        CWY DAL DBY DEN DER DEV DGY DNC DND DOR DRS DUD DUR EAL EAY EDH EDU ELN ELS ENF ENG ERW ERY
        ESS ESX FAL FIF FLN FMO GAT GLG GLS GRE GWN HAL HAM HAV HCK HEF HIL HLD HMF HNS HPL HRT HRW
        HRY IOS IOW ISL IVC KEC KEN KHL KIR KTT KWL LAN LBC LBH LCE LDS LEC LEW LIN LIV LND LUT MAN
        MDB MDW MEA MIK MLN MON MRT MRY MTY MUL NAY NBL NEL NET NFK NGM NIR NLK NLN NMD NNH NSM NTL
        NTT NTY NWM NWP NYK OLD ORK OXF PEM PKN PLY POR POW PTE RCC RCH RCT RDB RDG RFW RIC ROT RUT
        SAW SAY SCB SCT SFK SFT SGC SHF SHN SHR SKP SLF SLG SLK SND SOL SOM SOS SRY STE STG STH STN
        STS STT STY SWA SWD SWK TAM TFW THR TOB TOF TRF TWH VGL WAR WBK WDU WFT WGN WIL WKF WLL WLN
        WLS WLV WND WNH WNM WOK WOR WRL WRT WRX WSM WSX YOR ZET
        """.split()
    ),
    "MX": frozenset(
        """
        AGU BCN BCS CAM CHH CHP CMX COA COL DUR GRO GUA HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO
        SIN SLP SON TAB TAM TLA VER YUC ZAC
        """.split()
    ),
}

_PLAUSIBLE_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")


def is_country_code(code: str) -> bool:
    """True for an upper-case ISO-3166-1 alpha-2 code (Procore stores them upper-case)."""
    return code in COUNTRY_CODES


def is_subdivision_code(country_code: str, state_code: str) -> bool:
    """True when ``state_code`` (the part after ``XX-``) names a subdivision of ``country_code``."""
    known = SUBDIVISIONS.get(country_code)
    if known is not None:
        return state_code in known
    return bool(_PLAUSIBLE_SUBDIVISION.match(state_code))
