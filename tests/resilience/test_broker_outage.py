"""The worker's broker connection lost while a run's task is unacknowledged (acks late).

Celery's consumer then collects the connection (closing its channels and detaching the
transport) and closes the task channel once more. kombu's Redis channel left open by the first
close crashed the second with AttributeError ("'NoneType' object has no attribute 'hostname'"),
and the worker exited; toolkit_project/broker_fixes.py closes it the first time. The whole
worker through a Redis restart: tests/chaos/test_redis_restart.py.
"""

import socket

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.transport import redis as redis_transport

from toolkit_project.broker_fixes import patch_redis_channel_close
from toolkit_project.celery import app as celery_app


def test_a_task_channel_closes_when_redis_went_away_mid_task(private_redis):
    queue = Queue("runs", Exchange("runs"), routing_key="runs")
    connection = Connection(private_redis.url)
    channel = connection.channel()
    Producer(channel).publish(
        {"run": 1}, exchange=queue.exchange, routing_key="runs", declare=[queue]
    )
    received = []
    Consumer(channel, [queue], callbacks=[lambda body, message: received.append(body)]).consume()
    connection.drain_events(timeout=5)  # delivered, and left unacknowledged
    with pytest.raises(socket.timeout):
        connection.drain_events(timeout=0.2)  # the next BRPOP is now in flight
    private_redis.stop()

    connection.collect()  # what Celery's consumer does on a lost connection...
    connection.maybe_close_channel(channel)  # ...and then, closing the connection

    assert received == [{"run": 1}]
    assert channel.closed


def test_a_channel_with_auto_delete_queues_closes_quietly_when_redis_went_away(private_redis):
    """Celery's gossip and remote-control channels hold auto-delete queues: their close after
    an outage raised ConnectionError while deleting them, logged "Error on restarting Gossip"
    with a traceback at each outage, and left the channel open."""
    connection = Connection(private_redis.url)
    channel = connection.channel()
    queue = Queue("gossip", Exchange("gossip", type="fanout"), auto_delete=True)
    queue(channel).declare()
    Consumer(channel, [queue], callbacks=[lambda body, message: None]).consume()
    private_redis.stop()

    channel.close()

    assert channel.closed


def test_the_worker_reconnects_for_ever_and_lets_running_tasks_go_on():
    assert celery_app.conf.broker_connection_retry is True
    assert celery_app.conf.broker_connection_max_retries is None
    assert celery_app.conf.worker_cancel_long_running_tasks_on_connection_loss is False


def test_the_fix_is_applied_once_however_often_it_is_asked_for():
    patched = redis_transport.Channel.close

    patch_redis_channel_close()

    assert redis_transport.Channel.close is patched
    assert patched.ends_lost_reads
