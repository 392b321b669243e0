-- Orrery engine: how many times the instances were read back from the store after a restart of every member. Each
-- restore takes the next generation and writes it before any restored instance can make a call; the call ids made
-- after it carry it. So the ids made after one restore, and lost with the cluster before the store saw them, are
-- never made again after the next.

CREATE TABLE engine_restores (
    id INT NOT NULL PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO engine_restores (id, generation) VALUES (1, 0);
