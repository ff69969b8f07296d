"""The relative lookup (docs/portal-api.md §5b): a linked relative's civil record for the
procedures that need it, without contacts or household; refused otherwise."""

from __future__ import annotations

import pytest
from contract_fixtures import presence

from kiosk.sync import PortalClient
from kiosk.sync.errors import NotFound, PortalRejected


def test_a_linked_parent_record_comes_without_contacts(client: PortalClient) -> None:
    """Minh (036055001234) registers his father's death: the father's record as the
    population database holds it, with no phone, e-mail or household members."""
    own = client.lookup_resident("036055001234", presence())
    father = client.lookup_relative("036055001234", "father", "death_registration", presence())
    assert father["id_number"] == own["father"]["id_number"]
    assert father["full_name"] == own["father"]["full_name"]
    assert father["sex"] and father["ethnicity"] and father["current_residence"]
    assert father["phone"] == father["email"] == "" and father["household"]["members"] == []


def test_relative_lookup_refusals(client: PortalClient) -> None:
    """Another procedure's purpose: 403; no such link (a single resident's spouse): 404;
    a chip that failed authentication: 403; a relation outside the contract: 422."""
    with pytest.raises(PortalRejected) as refused:
        client.lookup_relative("036055001234", "father", "judicial_record", presence())
    assert refused.value.status == 403
    with pytest.raises(NotFound):
        client.lookup_relative("079301004567", "spouse", "death_registration", presence())
    with pytest.raises(PortalRejected) as refused:
        client.lookup_relative("036055001234", "father", "death_registration",
                               presence("failed"))
    assert refused.value.status == 403
    with pytest.raises(PortalRejected) as refused:
        client.lookup_relative("036055001234", "neighbour", "death_registration", presence())
    assert refused.value.status == 422
