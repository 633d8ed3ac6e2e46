"""chain_history: history written before the chains existed is brought into them."""

from io import StringIO

from django.core.management import call_command

from accounts.models import ApiKey, User
from closing.models import ChainHead
from closing.verify import verify
from config.chain import chained_models
from tests.factories import PresenceFactory, WorkingTimeFactory, raw_api_key


def test_history_from_before_the_chains_is_chained_and_verifies(member, other_member):
    PresenceFactory(user=member)
    WorkingTimeFactory(user=other_member)
    raw_api_key(member)
    # The state before the upgrade: no chains, no history of users and keys.
    for model in chained_models():
        if hasattr(model, "instance_type"):
            model.objects.update(chain_user_id=None, chain_seq=None, chain_prev="", chain_hash="")
    ChainHead.objects.all().delete()
    User.history.all().delete()
    ApiKey.history.all().delete()
    assert verify() != []

    out = StringIO()
    call_command("chain_history", stdout=out)

    assert "Chained" in out.getvalue()
    assert verify() == []
    assert User.history.filter(id=member.pk).get().history_change_reason == "History started"
