from django.forms.renderers import TemplatesSetting


class KOLHubFormRenderer(TemplatesSetting):
    """Every form renders its fields with the layout's markup (label, input, help, errors)."""

    form_template_name = "kolhub/forms/form.html"
    field_template_name = "kolhub/forms/field.html"
