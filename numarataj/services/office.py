"""What waits for the numarataj office: plans to decide, requests to answer, naming decisions
waiting for their next step. The officer's home and the staff home read it from here, so both
count the same things the same way."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from numarataj.models import NumberingPlan
from numarataj.models.documents import AdresTespitTalebi
from numarataj.models.naming import AdlandirmaKarari

D = AdlandirmaKarari.Durum

# state -> the step it waits for (services/naming.STEPS), in the order of the process
NEXT_STEP = {
    D.ONERI: _("komisyon raporu"),
    D.KOMISYON: _("meclis kararı"),
    D.MECLIS: _("mülki amir onayı"),
    D.ONAYLANDI: _("yürürlük tarihi"),
}


@dataclass(frozen=True)
class NamingStep:
    durum: str
    label: str  # the state, as the model names it
    waits_for: Promise
    count: int


@dataclass
class Waiting:
    open_plans: list[NumberingPlan] = field(default_factory=list)
    open_plan_count: int = 0
    pending_requests: int = 0
    naming: list[NamingStep] = field(default_factory=list)

    @property
    def naming_total(self) -> int:
        return sum(s.count for s in self.naming)


def open_plans() -> QuerySet[NumberingPlan]:
    return NumberingPlan.objects.filter(durum=NumberingPlan.Durum.ONERILDI).select_related("ilce", "csbm", "olusturan")


def waiting(limit: int = 10) -> Waiting:
    """The office's queue: the newest open plans (at most `limit`) and the counts."""
    plans = open_plans()
    per_state = dict(AdlandirmaKarari.objects.filter(durum__in=list(NEXT_STEP)).values_list("durum")
                     .annotate(n=Count("id")))
    steps = [NamingStep(state, str(D(state).label), step, per_state.get(state, 0)) for state, step in NEXT_STEP.items()]
    return Waiting(open_plans=list(plans.order_by("-olusturma")[:limit]), open_plan_count=plans.count(),
                   pending_requests=AdresTespitTalebi.objects.filter(durum=AdresTespitTalebi.Durum.BEKLIYOR).count(),
                   naming=steps)
