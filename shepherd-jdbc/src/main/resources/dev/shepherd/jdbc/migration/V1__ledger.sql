-- One row per request: the ledger entry with its totals precomputed, so that totals are one aggregate query.
-- The same SQL runs on H2 and PostgreSQL.
CREATE TABLE shepherd_ledger (
    request_id          VARCHAR(200)     NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    policy              VARCHAR(200)     NOT NULL,
    query_id            VARCHAR(1000)    NOT NULL,
    decision            VARCHAR(40),
    succeeded           BOOLEAN          NOT NULL,
    error               VARCHAR(8000),
    notes               VARCHAR(8000)    NOT NULL,
    cost_usd            DOUBLE PRECISION NOT NULL,
    used_large          BOOLEAN          NOT NULL,
    small_input_tokens  BIGINT           NOT NULL,
    small_output_tokens BIGINT           NOT NULL,
    large_input_tokens  BIGINT           NOT NULL,
    large_output_tokens BIGINT           NOT NULL,
    hint_tokens         BIGINT           NOT NULL,
    CONSTRAINT shepherd_ledger_pk PRIMARY KEY (request_id)
);

CREATE INDEX shepherd_ledger_started_at ON shepherd_ledger (started_at);
CREATE INDEX shepherd_ledger_query_id ON shepherd_ledger (query_id);

-- Every model call of a request, in order; written in the same transaction as its ledger row.
CREATE TABLE shepherd_ledger_call (
    request_id    VARCHAR(200)     NOT NULL,
    seq           INTEGER          NOT NULL,
    role          VARCHAR(16)      NOT NULL,
    model         VARCHAR(1000)    NOT NULL,
    purpose       VARCHAR(32)      NOT NULL,
    input_tokens  INTEGER          NOT NULL,
    output_tokens INTEGER          NOT NULL,
    cost_usd      DOUBLE PRECISION NOT NULL,
    latency_us    BIGINT           NOT NULL,
    finish_reason VARCHAR(32),
    error         VARCHAR(8000),
    CONSTRAINT shepherd_ledger_call_pk PRIMARY KEY (request_id, seq),
    CONSTRAINT shepherd_ledger_call_fk FOREIGN KEY (request_id) REFERENCES shepherd_ledger (request_id)
);
