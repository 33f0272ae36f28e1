-- Conversation state the assistant keeps between turns (internal/support):
-- misses counts its consecutive answers that could not help (a second one
-- hands off), script is the customer's Chinese script (Hans or Hant) so
-- that a message with no script-specific character is answered in it.
ALTER TABLE support_conversations ADD COLUMN misses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE support_conversations ADD COLUMN script TEXT NOT NULL DEFAULT '';
