from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saleshelm.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from saleshelm.web.second_factor import note_sign_in

        # Why a signal: see saleshelm.web.second_factor.
        user_logged_in.connect(note_sign_in, dispatch_uid="saleshelm.web.second_factor")
