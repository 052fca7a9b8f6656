-- A spend cap shared by every process that names it: the dollars reserved or spent in its rolling window.
-- Every change to a cap and its reservations first locks the cap's row (SELECT ... FOR UPDATE), so
-- reservations of all processes are serialised per cap and can never overshoot it together.
CREATE TABLE shepherd_spend_cap (
    name       VARCHAR(200)   NOT NULL,
    spent_usd  NUMERIC(24, 12) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT shepherd_spend_cap_pk PRIMARY KEY (name)
);

-- One row per reservation. It counts in its cap's window until expires_at (database time), with its worst case
-- until settled and its actual cost afterwards; a reservation whose process died keeps its worst case until then.
CREATE TABLE shepherd_spend_reservation (
    id          VARCHAR(64)     NOT NULL,
    cap_name    VARCHAR(200)    NOT NULL,
    reserved_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    worst_usd   NUMERIC(24, 12) NOT NULL,
    amount_usd  NUMERIC(24, 12) NOT NULL,
    settled     BOOLEAN         NOT NULL,
    expired     BOOLEAN         NOT NULL,
    CONSTRAINT shepherd_spend_reservation_pk PRIMARY KEY (id),
    CONSTRAINT shepherd_spend_reservation_fk FOREIGN KEY (cap_name) REFERENCES shepherd_spend_cap (name)
);

CREATE INDEX shepherd_spend_reservation_live ON shepherd_spend_reservation (cap_name, expired, expires_at);
