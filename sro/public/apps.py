from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sro.public"
    label = "public"
    verbose_name = "Public transparency site and board report"

    def ready(self) -> None:
        from django.apps import apps

        from sro.core.demo import register_demo, register_demo_scale
        from sro.oversight.report_kinds import register_report_kind
        from sro.public import panels, program_report  # noqa: F401 - panels registers the campus board panel
        from sro.public.demo import load as load_demo
        from sro.public.scale import scale_demo

        register_demo(50, load_demo)
        register_demo_scale(scale_demo)  # `sro demo --scale N`
        register_report_kind(program_report.PROGRAM)  # `sro report program`

        if apps.is_installed("sro.staffing"):
            from sro.public import report_staffing  # noqa: F401 - registers the board report's staffing section

        if apps.is_installed("sro.force"):
            from sro.force.figures import register_suppression
            from sro.public.force_counts import suppress_counts

            register_suppression(suppress_counts)  # the force app's public counts, withheld like ours

        if apps.is_installed("sro.evaluation"):
            from sro.evaluation.registries import register_figures, register_labels
            from sro.evaluation.registries import register_suppression as register_survey_suppression
            from sro.public.evaluation_figures import evaluation_figures, figure_label
            from sro.public.force_counts import suppress_counts as suppress

            register_figures(evaluation_figures)  # the yearly evaluation's disparity figures
            register_labels(figure_label)  # ... and their labels
            register_survey_suppression(suppress)  # the survey's results by group, withheld like ours
