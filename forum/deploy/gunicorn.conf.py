"""gunicorn settings for the cluster's instances (forum/deploy/cluster.py starts them with -c)."""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def post_fork(server, worker):
    """A worker whose master dies (killed, crashed) gets SIGTERM: it finishes the request
    it holds and exits. Without this, gunicorn's sync workers go on serving as orphans for
    as long as requests keep coming, so the instance never looks down to nginx and a
    restarted master cannot bind the port they still hold."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != server.pid:  # the master died before the line above ran
        os.kill(os.getpid(), signal.SIGTERM)
