"""The page where a person chooses how often they are emailed."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from workbook.models import Frequency
from workbook.notifications.actions import set_frequency
from workbook.notifications.notify import frequency_of
from workbook.plain_messages import PlainMessages


class FrequencyForm(PlainMessages, forms.Form):
    frequency = forms.ChoiceField(
        label="Email me about comments, assignments, approvals and due dates",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )


@login_required
def notification_settings(request):
    form = FrequencyForm(request.POST or None, initial={"frequency": frequency_of(request.user)})
    if request.method == "POST" and form.is_valid():
        set_frequency(user=request.user, frequency=form.cleaned_data["frequency"], request=request)
        messages.success(request, "Your email choice is saved.")
        return redirect("notification_settings")
    return render(
        request,
        "workbook/notification_settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
