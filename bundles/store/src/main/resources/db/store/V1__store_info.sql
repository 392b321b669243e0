-- Facts about the store itself. Its first use is to prove, at every start, that migrations run on this database.
CREATE TABLE store_info (
    info_key   VARCHAR(100)  NOT NULL PRIMARY KEY,
    info_value VARCHAR(1000) NOT NULL
);

INSERT INTO store_info (info_key, info_value) VALUES ('schema', 'orrery');
