-- Proxy mode's outage queue: charger calls AmpCMS answered itself while the upstream CMS was away, replayed to the
-- upstream in "seq" order when it is back. Durable, so a charger that leaves or a host restart loses nothing the charger
-- was told was received. "droppable" = 1 marks meter-only frames, the ones a full queue gives up first.
-- A charger that left keeps its relay (and the credentials it forwarded, in memory only) until its queue is replayed;
-- after a host restart the queue is replayed when the charger reconnects, before its new frames.
CREATE TABLE proxy_queue (
    "chargePointId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "ocppId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "frame" TEXT NOT NULL,           -- the CALL as the charger sent it ([2, id, action, payload])
    "localTransactionId" INTEGER,
    "droppable" INTEGER NOT NULL,
    "queuedAt" TEXT NOT NULL,
    PRIMARY KEY ("chargePointId", "seq")
);

-- A 1.6 transaction started during an outage: AmpCMS's transactionId (the charger's and AmpCMS's session's) and the
-- one the upstream assigned when the queued StartTransaction reached it.
CREATE TABLE proxy_transaction_ids (
    "chargePointId" TEXT NOT NULL,
    "localTransactionId" INTEGER NOT NULL,
    "upstreamTransactionId" INTEGER NOT NULL,
    PRIMARY KEY ("chargePointId", "localTransactionId")
);
