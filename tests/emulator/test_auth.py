"""OAuth client credentials, bearer tokens and the company header."""

from __future__ import annotations

import base64

import requests
from procore_emulator.gateway import MISSING_COMPANY_MESSAGE

from .conftest import CLIENT_ID, CLIENT_SECRET, COMPANY_ID, Api


def test_token_with_form_and_json(emu) -> None:
    form = requests.post(
        f"{emu.base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        timeout=5,
    )
    assert form.status_code == 200
    body = form.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "created_at"}
    assert (
        body["token_type"] == "bearer" and body["expires_in"] == 5400 and isinstance(body["created_at"], int)
    )

    as_json = requests.post(
        f"{emu.base_url}/oauth/token",
        json={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        timeout=5,
    )
    assert as_json.status_code == 200
    assert as_json.json()["access_token"] != body["access_token"]


def test_wrong_secret_is_invalid_client(emu) -> None:
    response = Api(emu).fetch_token(secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "not-the-secret" not in response.text


def test_unsupported_or_missing_grant_is_400(emu) -> None:
    url = f"{emu.base_url}/oauth/token"
    refresh = requests.post(
        url,
        data={"grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        timeout=5,
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "unsupported_grant_type"
    missing = requests.post(url, data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, timeout=5)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"


def test_missing_and_bad_token_are_401(emu) -> None:
    url = f"{emu.base_url}/rest/v1.0/me"
    none = requests.get(url, headers={"Procore-Company-Id": str(COMPANY_ID)}, timeout=5)
    assert none.status_code == 401
    assert none.headers["WWW-Authenticate"].startswith("Bearer")
    bad = requests.get(
        url, headers={"Authorization": "Bearer nope", "Procore-Company-Id": str(COMPANY_ID)}, timeout=5
    )
    assert bad.status_code == 401
    assert "invalid" in bad.json()["errors"]
    assert "X-Rate-Limit-Remaining" in bad.headers


def test_expired_token_is_401_until_a_new_one_is_fetched(emu, api: Api) -> None:
    assert api.get("/rest/v1.0/me").status_code == 200
    emu.expire_tokens()
    expired = api.get("/rest/v1.0/me")
    assert expired.status_code == 401
    assert "expired" in expired.json()["errors"]
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
    api.login()
    assert api.get("/rest/v1.0/me").status_code == 200


def test_token_ttl_is_enforced(emu, api: Api) -> None:
    token = emu.state.lookup_token(api.session.headers["Authorization"].split()[1])
    assert token is not None
    assert token.expires_at - token.created_at == emu.config.token_ttl_seconds


def test_missing_company_header_is_400_with_procore_message(api: Api) -> None:
    del api.session.headers["Procore-Company-Id"]
    response = api.list("vendors")
    assert response.status_code == 400
    assert MISSING_COMPANY_MESSAGE in response.text
    assert "Missing Procore-Company-Id header!" in response.text


def test_unknown_company_is_403(api: Api) -> None:
    api.session.headers["Procore-Company-Id"] = "999"
    assert api.get("/rest/v1.0/vendors", params={"company_id": 999}).status_code == 403


def test_company_id_param_must_match_header(api: Api) -> None:
    response = api.get("/rest/v1.0/vendors", params={"company_id": 999})
    assert response.status_code == 403
    assert "does not match" in response.text


def test_company_id_param_is_required_where_the_spec_says(api: Api) -> None:
    response = api.get("/rest/v1.0/vendors")
    assert response.status_code == 400
    assert "company_id" in response.text


def test_identity_endpoints(api: Api) -> None:
    me = api.get("/rest/v1.0/me")
    assert me.status_code == 200 and set(me.json()) == {"id", "login", "name"}
    del api.session.headers["Procore-Company-Id"]
    assert api.get("/rest/v1.0/me").status_code == 200, "the spec exempts /me from the company header"
    companies = api.get("/rest/v1.0/companies")
    assert companies.status_code == 200
    assert companies.json()[0]["id"] == COMPANY_ID and companies.json()[0]["name"] == "Demo Builders Inc."
    assert companies.headers["Total"] == "1"


def _token(emu, **kwargs) -> requests.Response:
    return requests.post(f"{emu.base_url}/oauth/token", timeout=5, **kwargs)


def test_token_with_http_basic_and_multipart(emu) -> None:
    """RFC 6749 section 2.3.1 (HTTP Basic) and Procore's own ``curl -F`` example (multipart)."""
    grant = {"grant_type": "client_credentials"}
    basic = _token(emu, data=grant, auth=(CLIENT_ID, CLIENT_SECRET))
    assert basic.status_code == 200 and basic.json()["token_type"] == "bearer"
    basic_json = _token(emu, json=grant, auth=(CLIENT_ID, CLIENT_SECRET))
    assert basic_json.status_code == 200
    fields = {"grant_type": (None, "client_credentials"), "client_id": (None, CLIENT_ID)}
    multipart = _token(emu, files={**fields, "client_secret": (None, CLIENT_SECRET)})
    assert multipart.status_code == 200, multipart.text
    assert "multipart/form-data" in multipart.request.headers["Content-Type"]
    wrong = _token(emu, data=grant, auth=(CLIENT_ID, "nope"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    wrong_multipart = _token(emu, files={**fields, "client_secret": (None, "nope")})
    assert wrong_multipart.status_code == 401


def test_token_refuses_two_authentication_methods(emu) -> None:
    both = _token(
        emu,
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"
    malformed = _token(emu, data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic !!"})
    assert malformed.status_code == 400 and malformed.json()["error"] == "invalid_request"
    percent = _token(
        emu,
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID},
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        },
    )
    assert percent.status_code == 200, "a client_id in the body beside Basic is the same client"
