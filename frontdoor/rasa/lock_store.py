"""Rasa's Redis lock store with atomic ticket updates, so several Rasa workers serialise one conversation.

Rasa 3.6's ``RedisLockStore`` changes a conversation's ticket lock by reading it (GET), changing it in
Python and writing it back (SET). Inside one Rasa process that is safe (no ``await`` in between), but
two workers taking a ticket at the same moment both get the same number and both run, and a worker
finishing can delete the ticket another has just taken (that one then fails with ``LockError``). Two
processes taking 50 locks each on one conversation overlapped 34 times and failed 51 times with the
stock store (``docs/deploy.md``). Here every change is a WATCH/MULTI transaction, which Redis reruns
when another worker wrote the key in between. Enabled in ``endpoints.production.yml`` by module path.
"""

from __future__ import annotations

import json
from typing import Any, Callable, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are atomic across processes; an emptied lock is deleted."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a lock store named by module path with the endpoint config as its only argument.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            raw = pipe.get(key)  # WATCHed: EXEC fails and this reruns if another worker writes the key
            lock = TicketLock.from_dict(json.loads(raw)) if raw else self.create_lock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        result: T = self.red.transaction(transaction, key, value_from_callable=True)
        return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:  # as the stock store does: the agent handles LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # The stock store checks for waiters and deletes in two more steps; ``_change`` deletes an empty lock itself.
        self.finish_serving(conversation_id, ticket_number)
