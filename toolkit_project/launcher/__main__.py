"""``python -m toolkit_project.launcher``: run the whole product on one machine."""

import signal
import sys

from toolkit_project.launcher.supervisor import Supervisor

if __name__ == "__main__":
    supervisor = Supervisor.from_environment()
    signal.signal(signal.SIGTERM, lambda *_: supervisor.request_stop())
    signal.signal(signal.SIGINT, lambda *_: supervisor.request_stop())
    sys.exit(supervisor.run())
