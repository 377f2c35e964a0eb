"""One processor worker (`newsfuse serve processor`): the faust app, stopped only crash-only."""

from __future__ import annotations


def serve() -> None:
    from services.common.compat import PROCESSOR_LIBRARIES, verify
    from services.common.processes import service_settings
    from services.processor.app import CrashOnlyWorker, create_app
    from services.processor.metrics import install_processor_metrics

    verify(*PROCESSOR_LIBRARIES)  # before waiting for a broker: a wrong faust fails at once
    settings = service_settings()
    faust_app = create_app(settings)
    install_processor_metrics(faust_app, settings)
    CrashOnlyWorker(faust_app, loglevel=settings.log_level, quiet=True, override_logging=False).execute_from_commandline()
