from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sro.evaluation"
    label = "evaluation"
    verbose_name = "Yearly evaluation, community survey and renewal"

    def ready(self) -> None:
        from sro.core.demo import register_demo
        from sro.evaluation import queue as _queue  # noqa: F401 - registers the renewal reminders on the queue
        from sro.evaluation.demo import load as load_demo

        register_demo(65, load_demo)
