-- Chat messages; the same SQL runs on H2 (the embedded default) and PostgreSQL.
CREATE TABLE chat_message (
    id                VARCHAR(36)              NOT NULL PRIMARY KEY,
    room              VARCHAR(64)              NOT NULL,
    author            VARCHAR(256)             NOT NULL,
    body              VARCHAR(16000)           NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    client_message_id VARCHAR(128)
);

-- History: a room's messages, newest first.
CREATE INDEX chat_message_room_created ON chat_message (room, created_at, id);

-- A client's retry stores nothing new (NULLs, posts without a client id, never collide).
CREATE UNIQUE INDEX chat_message_room_client_id ON chat_message (room, client_message_id);
