"""The rules of the login host's token endpoint and the identity endpoints (``routes/auth.py``)."""

from __future__ import annotations

from ..fields import Field, Kind
from ..operations import PAGINATION, OperationRules, QueryParam
from ..ops import Op

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")

TOKEN = OperationRules(
    operation_id="OauthTokenPost",
    method="POST",
    path="/oauth/token",
    op=Op.CREATE,
    fields=(
        Field("grant_type", enum=GRANT_TYPES),
        Field("client_id"),
        Field("client_secret"),
        Field("code"),
        Field("redirect_uri"),
        Field("refresh_token"),
    ),
    # the credentials may also travel as HTTP Basic (RFC 6749 section 2.3.1)
    required=("grant_type", "client_id", "client_secret"),
)

ME = OperationRules(
    operation_id="RestV10MeGet",
    method="GET",
    path="/rest/v1.0/me",
    op=Op.SHOW,
    query=(QueryParam("company_id", Kind.INTEGER), QueryParam("project_id", Kind.INTEGER)),
)

COMPANIES = OperationRules(
    operation_id="RestV10CompaniesGet",
    method="GET",
    path="/rest/v1.0/companies",
    op=Op.LIST,
    query=(*PAGINATION, QueryParam("include_free_companies", Kind.BOOLEAN)),
)
