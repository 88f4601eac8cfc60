"""Forms to start a comment and to reply to one."""

from typing import cast

from django import forms

from workbook.comments.actions import COMMENT_MAX_LENGTH
from workbook.plain_messages import PlainMessages


class CommentForm(PlainMessages, forms.Form):
    body = forms.CharField(
        label="Comment", max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    question = forms.ChoiceField(label="About", required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["question"]).choices = [("", "The whole section")] + [
            (q.slug, q.text[:120]) for q in questions
        ]
        self.fields["question"].widget.attrs.update({"class": "usa-select"})
        self.fields["body"].widget.attrs.update({"class": "usa-textarea"})


class ReplyForm(PlainMessages, forms.Form):
    body = forms.CharField(label="Reply", max_length=COMMENT_MAX_LENGTH)
