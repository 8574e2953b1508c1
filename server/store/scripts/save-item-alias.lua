-- Add or replace one item alias (docs/api.md §5.38), at most ARGV[3] per community: counting and
-- saving in one script, so posts that race can't go past the cap together.
-- KEYS: the community's item-alias hash   ARGV: alias item max
-- Returns { saved = bool }.
if call('HEXISTS', KEYS[1], ARGV[1]) == 0 and call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return cjson.encode({ saved = false })
end
call('HSET', KEYS[1], ARGV[1], ARGV[2])
return cjson.encode({ saved = true })
