#!lua flags=no-writes
-- Reads that must see one moment, run as one script (store/read-tx.ts). Flagged no-writes: Redis
-- runs it while out of memory (it refuses every command queued in a MULTI then) and on replicas.
-- ARGV: the number of commands, then per command: its name, the index of its key in KEYS, the
-- number of further arguments, those arguments. Returns each command's answer, in order.
local out = {}
local a = 2
for c = 1, tonumber(ARGV[1]) do
  local name, key, n = ARGV[a], KEYS[tonumber(ARGV[a + 1])], tonumber(ARGV[a + 2])
  local args = {}
  for j = 1, n do args[j] = ARGV[a + 2 + j] end
  out[c] = redis.call(name, key, unpack(args))
  a = a + 3 + n
end
return out
