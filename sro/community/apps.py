from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "sro.community"
    label = "community"
    verbose_name = "Meetings' agenda items and public comment"

    def ready(self) -> None:
        from sro.community import queue as _queue  # noqa: F401 - registers its part of the director's queue
        from sro.community.demo import load as load_demo
        from sro.core.demo import register_demo

        register_demo(60, load_demo)
