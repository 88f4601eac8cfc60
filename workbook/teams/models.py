"""Jurisdictions, their members and roles, and invitations to join them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from workbook.content.models import Workbook


class JurisdictionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jurisdictions this user is a member of: the one scoped path to tenant data."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def for_facilitator(self, user):
        """The jurisdictions a facilitator coaches (superusers see every one)."""
        if not (user.is_authenticated and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(facilitators=user)


class JurisdictionKind(models.TextChoices):
    CITY = "city", "City"
    COUNTY = "county", "County"
    TOWN = "town", "Town or village"
    SPECIAL_DISTRICT = "special_district", "Special district"
    REGIONAL_COUNCIL = "regional_council", "Regional council"


class PopulationBand(models.TextChoices):
    UNDER_5K = "under_5k", "Under 5,000"
    FROM_5K = "5k_25k", "5,000–25,000"
    FROM_25K = "25k_100k", "25,000–100,000"
    FROM_100K = "100k_500k", "100,000–500,000"
    OVER_500K = "over_500k", "Over 500,000"

    @classmethod
    def of(cls, population: int) -> "PopulationBand":
        """The band a number of residents falls in; a band's lower bound belongs to it."""
        for band, below in BAND_LIMITS:
            if population < below:
                return band
        return cls.OVER_500K


# Each band but the last, with the population it stops below.
BAND_LIMITS = (
    (PopulationBand.UNDER_5K, 5_000),
    (PopulationBand.FROM_5K, 25_000),
    (PopulationBand.FROM_25K, 100_000),
    (PopulationBand.FROM_100K, 500_000),
)


class Jurisdiction(models.Model):
    Kind = JurisdictionKind
    PopulationBand = PopulationBand

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind)
    population_band = models.CharField(max_length=20, choices=PopulationBand)
    workbook = models.ForeignKey(Workbook, on_delete=models.PROTECT, related_name="jurisdictions")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_jurisdictions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=JurisdictionKind.values), name="jurisdiction_kind"
            ),
            models.CheckConstraint(
                condition=Q(population_band__in=PopulationBand.values),
                name="jurisdiction_population_band",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EDITOR = "editor", "Editor"
    MANAGER = "manager", "Manager"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["jurisdiction__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction"], name="one_membership"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.jurisdiction} ({self.get_role_display()})"


class Invitation(models.Model):
    """An emailed, single-use offer to join a jurisdiction's team with a role.

    Only a SHA-256 hash of the token is stored: the link in the email is the credential, and a
    leaked database row cannot be turned back into a working link.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.jurisdiction} ({self.get_role_display()})"

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
