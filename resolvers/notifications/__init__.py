"""Messages' and the journal's notifications (issue 14): the outbox the writes fill in their
own transaction (`outbox`), the live events subscriptions listen to (`live`)."""
