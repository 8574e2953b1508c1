-- Shared helpers, prepended to every script by server/store/scripts.ts.
-- Quantities are integer thousandths of a unit; money is integer fen.
-- Every key a script touches arrives in KEYS. Scripts reach Redis only through `call`: the tests
-- load them with a `call` that refuses any key not in KEYS (scripts.ts, checkKeys).
local call = redis.call

local function now_ms()
  local t = call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function fail(code, extra)
  local r = extra or {}
  r.err = code
  return cjson.encode(r)
end

-- The one rounding rule (shared/quantity.ts lineAmountFen): price x qty, half up to the fen.
local function line_amount(price, qty)
  return math.floor((price * qty + 500) / 1000)
end

local function num(v)
  return tonumber(v) or 0
end

-- The (date, drop point) pickup-list keys that arrived in KEYS from `first` on, two per drop
-- point named in `dps` (comma-separated, keys.ts dayDropPointKeys order).
local function day_keys(first, dps)
  local days, i = {}, first
  for dp in string.gmatch(dps, '[^,]+') do
    days[dp] = { entries = KEYS[i], totals = KEYS[i + 1] }
    i = i + 2
  end
  return days, i
end

-- Context of an entry script: KEYS and ARGV in the order store/chains.ts runChainScript gives.
-- KEYS: entryScriptKeys (9), then dayDropPointKeys for each drop point in ARGV[7], then the
--       chain's waitlist (keys.ts chain().wait), then the channel (the same name as ARGV[1]:
--       declared so a cluster knows it is in this slot).
-- ARGV: channel requestId payloadHash input maxEvents date dps deviceCap codeSeed
local function entry_ctx()
  local days, next_key = day_keys(10, ARGV[7])
  return {
    meta = KEYS[1], items = KEYS[2], totals = KEYS[3], entries = KEYS[4],
    devices = KEYS[5], requests = KEYS[6], events = KEYS[7], drop_points = KEYS[8], info = KEYS[9],
    channel = ARGV[1], req_id = ARGV[2], payload_hash = ARGV[3], max_events = ARGV[5],
    date = ARGV[6], days = days, device_cap = num(ARGV[8]), code_seed = ARGV[9],
    wait = KEYS[next_key],
  }
end

-- Entries are stored compactly (store/records.ts parseEntry reads them the same way): short
-- keys, lines as [item, qty, price, amount, weight?], `st` only when cancelled, `up` only when it
-- differs from `at`. Scripts work on the full form.
-- `wl`: the waiter id a waitlisted request had, on an entry the waitlist promoted (候补转正).
local ENTRY_KEEP = { 'no', 'dp', 'amt', 'dh', 'at', 'v', 'by', 'cby', 'src', 'late', 'chk', 'wby', 'wl' }

local function pack_entry(e)
  local lines = {}
  for i, l in ipairs(e.lines) do
    lines[i] = l.w and { l.i, l.q, l.p, l.a, l.w } or { l.i, l.q, l.p, l.a }
  end
  local p = { n = e.name, b = e.bld, ph = e.phone, c = e.code, l = lines }
  for _, k in ipairs(ENTRY_KEEP) do p[k] = e[k] end
  if e.st ~= 'active' then p.st = e.st end
  if e.up ~= e.at then p.up = e.up end
  return cjson.encode(p)
end

local function unpack_entry(json)
  local p = cjson.decode(json)
  local lines = {}
  for i, l in ipairs(p.l) do lines[i] = { i = l[1], q = l[2], p = l[3], a = l[4], w = l[5] } end
  local e = { name = p.n, bld = p.b, phone = p.ph, code = p.c, lines = lines }
  for _, k in ipairs(ENTRY_KEEP) do e[k] = p[k] end
  e.st = p.st or 'active'
  e.up = p.up or p.at
  return e
end

local function load_entry(ctx, no)
  local raw = call('HGET', ctx.entries, no)
  if not raw then return nil end
  return unpack_entry(raw)
end

-- Defined with the waitlist below; replay() needs it.
local waiter_reply

-- An entry script's answer: { p = the entry as stored (packed: store/records.ts expandEntry) },
-- built around the stored string without decoding and encoding it again. Its version is p.v.
local function entry_reply(packed)
  return '{"p":' .. packed .. '}'
end

-- A repeated request id returns the first result; a different payload under it is refused.
-- An entry script remembers only '#<no>': its replay answers with the entry as it is now.
local function replay(ctx)
  if ctx.req_id == '' then return nil end
  local prev = call('HGET', ctx.requests, ctx.req_id)
  if not prev then return nil end
  local sep = string.find(prev, '\n', 1, true)
  if string.sub(prev, 1, sep - 1) ~= ctx.payload_hash then
    return fail('request_id_conflict')
  end
  -- The answer given again is only as safe as the first write's replication: this write of
  -- nothing new moves the caller's replication offset past it, so its WAIT covers the first.
  call('HSET', ctx.requests, '_', '')
  local result = string.sub(prev, sep + 1)
  -- '~<id>': a waitlist request; its replay answers with the waiter as it is now.
  if string.sub(result, 1, 1) == '~' then return waiter_reply(ctx, string.sub(result, 2)) end
  if string.sub(result, 1, 1) ~= '#' then return result end
  return entry_reply(call('HGET', ctx.entries, string.sub(result, 2)))
end

local function remember(ctx, result)
  if ctx.req_id == '' then return end
  call('HSET', ctx.requests, ctx.req_id, ctx.payload_hash .. '\n' .. result)
end

local function load_chain(ctx)
  local m = call('HMGET', ctx.meta, 'id', 'status', 'cutoff', 'dps', 'date', 'closedReason', 'seq', 'version')
  if not m[1] then return nil end
  -- A missing field reads as false; keep it nil so events carry null, not false.
  return {
    id = m[1], status = m[2], cutoff = tonumber(m[3]), dps = m[4], date = m[5],
    closed_reason = m[6] or nil, seq = num(m[7]), version = num(m[8]),
  }
end

-- The caller names the chain's delivery date and the drop points whose pickup-list keys it sent.
-- When it guessed wrong (it had no copy of the entry yet, or the entry just moved), nothing is
-- written and it is told what to send: { err = 'retry', dp = ... }.
local function declared_day(ctx, chain, dp)
  if ctx.date ~= chain.date then return fail('retry', { date = chain.date }) end
  if dp and not ctx.days[dp] then return fail('retry', { dp = dp }) end
  return nil
end

-- The start of every entry script: a repeated request returns its first result; otherwise the
-- chain and the input. Use: local ctx, input, chain = begin(); if not ctx then return input end
local function begin()
  local ctx = entry_ctx()
  local prev = replay(ctx)
  if prev then return nil, prev end
  local chain = load_chain(ctx)
  if not chain then return nil, fail('not_found', { what = 'chain' }) end
  local wrong_day = declared_day(ctx, chain, nil)
  if wrong_day then return nil, wrong_day end
  return ctx, cjson.decode(ARGV[4]), chain
end

-- An entry that is still active (and whose pickup-list keys arrived), or nil and the refusal.
local function active_entry(ctx, chain, no)
  local entry = load_entry(ctx, no)
  if not entry then return nil, fail('not_found', { what = 'entry' }) end
  if entry.st ~= 'active' then return nil, fail('entry_cancelled') end
  local wrong_day = declared_day(ctx, chain, entry.dp)
  if wrong_day then return nil, wrong_day end
  return entry
end

-- nil when a write may go ahead now. Staff (coordinators) may write after the cutoff.
local function check_open(chain, now, staff)
  if chain.status == 'cancelled' or chain.status == 'delivered' then return 'chain_closed' end
  if staff then return nil end
  if now >= chain.cutoff then return 'chain_closed' end
  if chain.status == 'closed' and chain.closed_reason ~= 'sold_out' then return 'chain_closed' end
  return nil
end

-- The chain delivers to this drop point, and the community has not deactivated it since.
local function serves(ctx, chain, dp)
  if string.find(chain.dps, ',' .. dp .. ',', 1, true) == nil then return false end
  local raw = call('HGET', ctx.drop_points, dp)
  return raw ~= false and cjson.decode(raw).active == true
end

-- The items these lines (requested [id, qty] pairs and/or stored lines) name, read once, or nil
-- and the first unknown id. Ids come back too, in a stable order.
local function item_defs(ctx, wanted, stored)
  local ids, seen = {}, {}
  local function add(id)
    if not seen[id] then
      seen[id] = true
      ids[#ids + 1] = id
    end
  end
  for _, l in ipairs(wanted or {}) do add(l[1]) end
  for _, l in ipairs(stored or {}) do add(l.i) end
  local defs = {}
  if #ids == 0 then return defs, nil, ids end
  local raw = call('HMGET', ctx.items, unpack(ids))
  for i, id in ipairs(ids) do
    if not raw[i] then return nil, id end
    defs[id] = cjson.decode(raw[i])
  end
  return defs, nil, ids
end

-- Price the requested lines. Items already in the entry keep the price they were placed at.
local function price_lines(defs, wanted, old_prices)
  local lines, total = {}, 0
  for i, l in ipairs(wanted) do
    local def, qty = defs[l[1]], l[2]
    if qty <= 0 or qty % def.step ~= 0 then
      return nil, fail('bad_quantity', { itemId = def.id, step = def.step, qty = qty })
    end
    local price = (old_prices and old_prices[def.id]) or def.price
    local amount = line_amount(price, qty)
    lines[i] = { i = def.id, q = qty, p = price, a = amount }
    total = total + amount
  end
  return lines, total
end

local function qty_by_item(lines)
  local m = {}
  if lines then for _, l in ipairs(lines) do m[l.i] = (m[l.i] or 0) + l.q end end
  return m
end

-- Net change per item between two sets of lines.
local function deltas(old_lines, new_lines)
  local d, old, new = {}, qty_by_item(old_lines), qty_by_item(new_lines)
  for id, q in pairs(new) do d[id] = q - (old[id] or 0) end
  for id, q in pairs(old) do if new[id] == nil then d[id] = -q end end
  return d
end

-- Ledgers: numeric hash fields read once (one HMGET) and written back once (one HSET), instead
-- of one HINCRBY per field. A script reads every field it will change before it changes any, so a
-- field never read is a bug: lget/ladd refuse it rather than guess 0.
local function ledger(key, fields)
  local l = { key = key, v = {}, dirty = {}, order = {} }
  if #fields > 0 then
    local raw = call('HMGET', key, unpack(fields))
    for i, f in ipairs(fields) do l.v[f] = raw[i] or false end
  end
  return l
end

local function lget(l, f)
  local x = l.v[f]
  if x == nil then error('ledger field not read: ' .. f) end
  return tonumber(x) or 0
end

local function lput(l, f, value)
  if l.v[f] == nil then error('ledger field not read: ' .. f) end
  l.v[f] = value
  if not l.dirty[f] then
    l.dirty[f] = true
    l.order[#l.order + 1] = f
  end
end

local function ladd(l, f, d) lput(l, f, lget(l, f) + d) end

-- A field that holds a small JSON record (one per device or phone): decoded once, kept as a
-- table, encoded once at the flush.
local function lrec(l, f)
  local x = l.v[f]
  if x == nil then error('ledger field not read: ' .. f) end
  if type(x) ~= 'table' then
    x = x and cjson.decode(x) or {}
    l.v[f] = x
  end
  if not l.dirty[f] then
    l.dirty[f] = true
    l.order[#l.order + 1] = f
  end
  return x
end

local function lflush(l)
  local args = {}
  for _, f in ipairs(l.order) do
    local x = l.v[f]
    args[#args + 1] = f
    args[#args + 1] = type(x) == 'table' and cjson.encode(x) or x
  end
  if #args > 0 then call('HSET', l.key, unpack(args)) end
  l.dirty, l.order = {}, {}
end

-- The last four digits of a phone: who a resident is, where the community asks for them.
local function phone4(phone)
  if not phone then return nil end
  local digits = string.gsub(phone, '%D', '')
  if #digits < 4 then return nil end
  return string.sub(digits, -4)
end

-- Does this community count per-person limits by phone as well (community setting)?
local function limits_by_phone(ctx)
  return call('HGET', ctx.info, 'requirePhone4') == '1'
end

-- The books an entry script keeps: the chain's totals, what each device and phone has ordered
-- (limits, the device's entry count and numbers), and each drop point's day totals (the pickup
-- list, with `v`, its version for caching). `entries` are every state whose contribution the
-- script may add or remove (the old entry and the new one); `items` more items whose stock or
-- limits it reads.
local function open_books(ctx, chain, entries, items)
  local tf, df, dayf = {}, {}, {}
  local seen = {}
  local function want(list, f)
    local k = list
    if not seen[k] then seen[k] = {} end
    if not seen[k][f] then
      seen[k][f] = true
      list[#list + 1] = f
    end
  end
  want(tf, 'n')
  want(tf, 'amt')
  for _, id in ipairs(items or {}) do
    want(tf, 'q:' .. id)
    want(tf, 'a:' .. id)
  end
  for _, e in ipairs(entries) do
    local p4 = phone4(e.phone)
    local dp = e.dp
    if not dayf[dp] then dayf[dp] = {} end
    local d = dayf[dp]
    for _, f in ipairs({ 'n', 'amt', 'v', 'n:' .. chain.id, 'amt:' .. chain.id, 'cn', 'ca', 'cb' }) do
      want(d, f)
    end
    -- One record per device (d:) and per phone ending (p:): { n = active entries, e = numbers,
    -- q = { item = quantity } }.
    if e.dh then want(df, 'd:' .. e.dh) end
    if p4 then want(df, 'p:' .. p4) end
    for _, l in ipairs(e.lines) do
      want(tf, 'q:' .. l.i)
      want(tf, 'a:' .. l.i)
      want(d, 'q:' .. chain.id .. ':' .. l.i)
      want(d, 'a:' .. chain.id .. ':' .. l.i)
    end
  end
  local books = { totals = ledger(ctx.totals, tf), devices = ledger(ctx.devices, df), days = {} }
  for dp, fields in pairs(dayf) do books.days[dp] = ledger(ctx.days[dp].totals, fields) end
  return books
end

local function close_books(books)
  lflush(books.totals)
  lflush(books.devices)
  for _, l in pairs(books.days) do lflush(l) end
end

-- What a device (d:<hash>) or phone ending (p:<4 digits>) holds of an item now.
local function held(books, who, id)
  local raw = books.devices.v[who]
  if raw == nil then error('ledger field not read: ' .. who) end
  local rec = type(raw) == 'table' and raw or (raw and cjson.decode(raw) or {})
  return (rec.q and rec.q[id]) or 0
end

-- Active entries a device holds in this chain.
local function device_entries(books, dh)
  local raw = books.devices.v['d:' .. dh]
  if raw == nil then error('ledger field not read: d:' .. dh) end
  local rec = type(raw) == 'table' and raw or (raw and cjson.decode(raw) or {})
  return rec.n or 0
end

-- The sold_out refusal for the items whose quantity grows beyond their stock (`d`: net change
-- per item; `sold(id)`: what is sold of it now), or nil when everything fits. The refusal lists
-- what is left of every item.
local function stock_refusal(ctx, defs, d, sold)
  local short = {}
  for id, delta in pairs(d) do
    local def = defs[id]
    if delta > 0 and def.stock then
      local s = sold(id)
      if s + delta > def.stock then
        short[#short + 1] = { itemId = id, wanted = delta, remaining = def.stock - s }
      end
    end
  end
  if #short == 0 then return nil end
  local all = call('HGETALL', ctx.items)
  local all_defs, fields = {}, {}
  for j = 2, #all, 2 do
    local def = cjson.decode(all[j])
    all_defs[#all_defs + 1] = def
    fields[#fields + 1] = 'q:' .. def.id
  end
  local left = {}
  local sold_all = #fields > 0 and call('HMGET', ctx.totals, unpack(fields)) or {}
  for i, def in ipairs(all_defs) do
    left[i] = { itemId = def.id, remaining = def.stock and def.stock - num(sold_all[i]) or -1 }
  end
  return fail('sold_out', { short = short, left = left })
end

-- A new entry's refusal that needs no books (the join checks it before opening them, so that a
-- sell-out burst's refusals stay cheap), in the order the full checks give: the device's entry
-- cap, then stock. nil when the books must decide.
local function early_refusal(ctx, defs, d, dh)
  local ids = {}
  for id, delta in pairs(d) do
    if delta > 0 and defs[id].stock then ids[#ids + 1] = id end
  end
  if #ids == 0 then return nil end
  local fields = {}
  for i, id in ipairs(ids) do fields[i] = 'q:' .. id end
  local raw, sold = call('HMGET', ctx.totals, unpack(fields)), {}
  for i, id in ipairs(ids) do sold[id] = num(raw[i]) end
  local refused = stock_refusal(ctx, defs, d, function(id) return sold[id] end)
  if not refused then return nil end
  if dh and ctx.device_cap > 0 then
    local rec = call('HGET', ctx.devices, 'd:' .. dh)
    if rec and (cjson.decode(rec).n or 0) >= ctx.device_cap then
      return fail('too_many_entries', { max = ctx.device_cap })
    end
  end
  return refused
end

-- Stock and per-resident limits for the items whose quantity grows (`d`: net change per item).
-- owner: the device hash whose entries count towards the limit, or nil (then the entry alone
-- counts); p4: the phone's last four digits when the community counts limits by phone too.
local function check_stock_and_limits(ctx, books, defs, d, new_lines, owner, p4)
  local refused = stock_refusal(ctx, defs, d, function(id) return lget(books.totals, 'q:' .. id) end)
  if refused then return refused end
  local new_qty = qty_by_item(new_lines)
  for id, delta in pairs(d) do
    local def = defs[id]
    if delta > 0 and def.limit then
      local already, by = new_qty[id] - delta, nil
      if owner then already, by = held(books, 'd:' .. owner, id), 'device' end
      if p4 then
        local by_phone = held(books, 'p:' .. p4, id)
        if by_phone > already then already, by = by_phone, 'phone' end
      end
      if already + delta > def.limit then
        return fail('limit_exceeded', { itemId = id, limit = def.limit, already = already, by = by })
      end
    end
  end
  return nil
end

-- Add (sign 1) or remove (sign -1) an entry's contribution to the books, and to its drop point's
-- set of entries.
local function contribute(ctx, books, chain, entry, sign)
  local day = books.days[entry.dp]
  local p4 = phone4(entry.phone)
  for _, l in ipairs(entry.lines) do
    ladd(books.totals, 'q:' .. l.i, sign * l.q)
    ladd(books.totals, 'a:' .. l.i, sign * l.a)
    ladd(day, 'q:' .. chain.id .. ':' .. l.i, sign * l.q)
    ladd(day, 'a:' .. chain.id .. ':' .. l.i, sign * l.a)
  end
  local owners = {}
  if entry.dh then owners[#owners + 1] = lrec(books.devices, 'd:' .. entry.dh) end
  if p4 then owners[#owners + 1] = lrec(books.devices, 'p:' .. p4) end
  for _, rec in ipairs(owners) do
    rec.q = rec.q or {}
    for _, l in ipairs(entry.lines) do rec.q[l.i] = (rec.q[l.i] or 0) + sign * l.q end
  end
  if entry.dh then
    local rec = owners[1]
    rec.n = (rec.n or 0) + sign
  end
  ladd(books.totals, 'n', sign)
  ladd(books.totals, 'amt', sign * entry.amt)
  ladd(day, 'n', sign)
  ladd(day, 'amt', sign * entry.amt)
  ladd(day, 'n:' .. chain.id, sign)
  ladd(day, 'amt:' .. chain.id, sign * entry.amt)
  ladd(day, 'v', 1)
  local ref = chain.id .. '#' .. entry.no
  if sign > 0 then call('SADD', ctx.days[entry.dp].entries, ref) else call('SREM', ctx.days[entry.dp].entries, ref) end
end

-- A new entry of a device joins the device's list of entry numbers (shown as "mine" however old).
local function remember_device_entry(books, entry)
  if not entry.dh then return end
  local rec = lrec(books.devices, 'd:' .. entry.dh)
  rec.e = rec.e and (rec.e .. ',' .. entry.no) or tostring(entry.no)
end

-- Pickup codes, in O(1): the n-th bag at a (date, drop point) gets the n-th value of a fixed
-- permutation, 4 digits for the first 9,000 bags, then 5, then 6 (999,000 in all), never with a
-- leading zero. The permutation (a*n + b mod the band's size, a coprime to it) is drawn once per
-- key from the caller's seed, so codes don't run in order and differ between points and days.
-- Codes are never reused: labels stay printed.
local CODE_BANDS = { { 1000, 9000 }, { 10000, 90000 }, { 100000, 900000 } }

-- The code the next bag at this drop point would get, and the write that takes it (in the day's
-- ledger: cn = codes handed out, ca and cb = the permutation); nil when the point has handed out
-- every code that day. Nothing is written until take() is called.
local function next_code(books, dp, seed)
  local day = books.days[dp]
  local n, a, b = lget(day, 'cn'), lget(day, 'ca'), lget(day, 'cb')
  local fresh = a == 0
  if fresh then
    local s1, s2 = string.match(seed, '(%d+),(%d+)')
    -- A step between 1001 and about 7000: next codes never look like the last plus or minus one.
    a, b = 1001 + tonumber(s1) % 6000, tonumber(s2) % 900000
    -- Every band's size is 2^x * 3^2 * 5^y: a is coprime to all of them when it is to 30.
    while a % 2 == 0 or a % 3 == 0 or a % 5 == 0 do a = a + 1 end
  end
  local i = n
  for _, band in ipairs(CODE_BANDS) do
    local lo, size = band[1], band[2]
    if i < size then
      local code = tostring(lo + (a * i + b) % size)
      local take = function()
        lput(day, 'cn', n + 1)
        if fresh then
          lput(day, 'ca', a)
          lput(day, 'cb', b)
        end
      end
      return code, take
    end
    i = i - size
  end
  return nil
end

-- Stock of the touched items after a change, as [itemId, sold, cap or -1], from the books.
local function stock_of(books, defs, d)
  local ids = {}
  for id in pairs(d) do ids[#ids + 1] = id end
  table.sort(ids)
  local out, any_sold_out, any_freed = {}, false, false
  for _, id in ipairs(ids) do
    local sold = lget(books.totals, 'q:' .. id)
    local cap = defs[id].stock or -1
    out[#out + 1] = { id, sold, cap }
    if cap >= 0 and sold >= cap and d[id] > 0 then any_sold_out = true end
    if d[id] < 0 then any_freed = true end
  end
  return out, any_sold_out, any_freed
end

-- True when every item has a cap and every cap is reached: nothing is left to buy.
local function nothing_left(ctx)
  local all = call('HGETALL', ctx.items)
  for j = 1, #all, 2 do
    local def = cjson.decode(all[j + 1])
    if not def.stock then return false end
    if num(call('HGET', ctx.totals, 'q:' .. def.id)) < def.stock then return false end
  end
  return true
end

-- Close when sold out, reopen (before the cutoff) when stock comes back.
-- Updates chain.status and chain.closed_reason.
local function settle_status(ctx, chain, now, sold_out_now, freed)
  if chain.status == 'open' and sold_out_now and nothing_left(ctx) then
    call('HSET', ctx.meta, 'status', 'closed', 'closedReason', 'sold_out')
    chain.status, chain.closed_reason = 'closed', 'sold_out'
  elseif chain.status == 'closed' and chain.closed_reason == 'sold_out' and freed
      and now < chain.cutoff and not nothing_left(ctx) then
    call('HSET', ctx.meta, 'status', 'open')
    call('HDEL', ctx.meta, 'closedReason')
    chain.status, chain.closed_reason = 'open', nil
  end
end

-- Append an event of version v to the event log and publish it. Returns v.
local function announce(events, channel, max_events, v, event)
  event.v = v
  local json = cjson.encode(event)
  call('XADD', events, 'MAXLEN', '~', max_events, v .. '-0', 'e', json)
  call('SPUBLISH', channel, json)
  return v
end

-- Bump the version, append to the event log and publish. Returns the new version.
local function emit(meta, events, channel, max_events, event)
  return announce(events, channel, max_events, call('HINCRBY', meta, 'version', 1), event)
end

-- The same for a chain script whose chain is loaded (keeps chain.version in step).
local function chain_event(ctx, chain, event)
  chain.version = emit(ctx.meta, ctx.events, ctx.channel, ctx.max_events, event)
  return chain.version
end

-- Store a changed entry and announce it. The entry is stamped with the version of this change
-- (entry.v), so a screen holding two copies of it keeps the newer, whatever order they came in.
-- The entry is encoded once: the channel gets the event with it, the event log a compact event
-- that names it (a resync reads the entry back: store/chains.ts readEventsSince), and the caller
-- its answer (succeed). Returns the encoded entry.
local function entry_event(ctx, chain, kind, entry, stock, prev_dp)
  chain.version = chain.version + 1
  entry.v = chain.version
  -- A new entry's number is the chain's new seq: written with the version, in one call.
  if kind == 'entry:created' then
    call('HSET', ctx.meta, 'version', entry.v, 'seq', entry.no)
  else
    call('HSET', ctx.meta, 'version', entry.v)
  end
  local ej = pack_entry(entry)
  call('HSET', ctx.entries, entry.no, ej)
  -- The log is per chain: the event names neither the chain nor its date (read back from them).
  local compact = cjson.encode({
    t = kind, v = entry.v, n = entry.no, s = stock,
    st = chain.status, cr = chain.closed_reason, pdp = prev_dp,
  })
  call('XADD', ctx.events, 'MAXLEN', '~', ctx.max_events, entry.v .. '-0', 'e', compact)
  -- Chain ids and dates are plain [a-z0-9-] (shared/schemas.ts): no escaping needed.
  call('SPUBLISH', ctx.channel,
    '{"c":"' .. chain.id .. '","d":"' .. chain.date .. '","e":' .. ej .. ',' .. string.sub(compact, 2))
  return ej
end

-- packed: the stored entry entry_event returned.
local function succeed(ctx, entry, packed)
  remember(ctx, '#' .. entry.no)
  return entry_reply(packed)
end

-- ---- The waitlist (issue 15) ----------------------------------------------------------------
-- One hash per chain (keys.ts chain().wait, KEYS[last]): seq (waiter ids), q:<item> (the ids
-- waiting for an item, in order, space-separated), w:<id> (a waiter: { id, r = request id,
-- i = item, q = quantity, dp, n = name, b = building, ph?, dh, at, up?, st = w(aiting) |
-- p(romoted) | l(eft), no = the entry it became }), d:<device hash>:<item> (the device's waiting id).

local function queue_of(ctx, item)
  local raw = call('HGET', ctx.wait, 'q:' .. item)
  local ids = {}
  if raw then for id in string.gmatch(raw, '%S+') do ids[#ids + 1] = id end end
  return ids
end

local function save_queue(ctx, item, ids)
  if #ids == 0 then
    call('HDEL', ctx.wait, 'q:' .. item)
  else
    call('HSET', ctx.wait, 'q:' .. item, table.concat(ids, ' '))
  end
end

local function load_waiter(ctx, id)
  local raw = call('HGET', ctx.wait, 'w:' .. id)
  return raw and cjson.decode(raw) or nil
end

local function save_waiter(ctx, w)
  call('HSET', ctx.wait, 'w:' .. w.id, cjson.encode(w))
end

-- An item's queue as events carry it: [[waiterId, qty]...] in order (an empty one encodes as {}).
local function queue_view(ctx, ids)
  local out = {}
  if #ids == 0 then return out end
  local fields = {}
  for i, id in ipairs(ids) do fields[i] = 'w:' .. id end
  local raw = call('HMGET', ctx.wait, unpack(fields))
  for i, id in ipairs(ids) do
    local w = raw[i] and cjson.decode(raw[i])
    out[i] = { tonumber(id), w and w.q or 0 }
  end
  return out
end

-- waitlist:changed: the queues of these items as they are now.
local function waitlist_event(ctx, chain, items)
  local wl = {}
  for _, item in ipairs(items) do wl[#wl + 1] = { item, queue_view(ctx, queue_of(ctx, item)) } end
  return chain_event(ctx, chain, { t = 'waitlist:changed', c = chain.id, d = chain.date, wl = wl })
end

-- A waitlist request's answer: { v, w = waiter, pos = place in line (0 when not waiting),
-- e = the entry it became }.
waiter_reply = function(ctx, id)
  if not ctx.wait then return fail('request_id_conflict') end
  local w = load_waiter(ctx, id)
  if not w then return fail('not_found', { what = 'waiter' }) end
  local r = { v = num(call('HGET', ctx.meta, 'version')), w = w, pos = 0 }
  if w.st == 'w' then
    for i, x in ipairs(queue_of(ctx, w.i)) do
      if x == tostring(w.id) then
        r.pos = i
        break
      end
    end
  elseif w.st == 'p' and w.no then
    r.e = load_entry(ctx, w.no)
  end
  return cjson.encode(r)
end

-- One waiter becomes an entry if it can: 'promoted'; 'stop' when its whole quantity does not fit
-- (nobody behind it may go first); 'skip' when something of its own holds it back (the
-- per-person limit, the device's entry cap, its drop point gone, codes run out): it keeps its place.
local function promote_one(ctx, chain, now, w)
  local wanted = { { w.i, w.q } }
  local defs = item_defs(ctx, wanted, nil)
  if not defs then return 'skip' end
  local def = defs[w.i]
  -- More than the whole stock (lowered since the request joined) can never fit: it must not hold
  -- up the line behind it.
  if def.stock and w.q > def.stock then return 'skip' end
  if def.stock and num(call('HGET', ctx.totals, 'q:' .. w.i)) + w.q > def.stock then return 'stop' end
  if not ctx.days[w.dp] or not serves(ctx, chain, w.dp) then return 'skip' end
  local lines, amt = price_lines(defs, wanted, nil)
  if not lines then return 'skip' end
  local entry = {
    name = w.n, bld = w.b, phone = w.ph, dp = w.dp, lines = lines, amt = amt, st = 'active',
    dh = w.dh, at = now, up = now, wl = w.id,
  }
  local books = open_books(ctx, chain, { entry }, nil)
  if w.dh and ctx.device_cap > 0 and device_entries(books, w.dh) >= ctx.device_cap then return 'skip' end
  local p4 = nil
  if limits_by_phone(ctx) then p4 = phone4(w.ph) end
  local d = deltas(nil, lines)
  -- Stock was checked above: a refusal here is the per-person limit.
  if check_stock_and_limits(ctx, books, defs, d, lines, w.dh, p4) then return 'skip' end
  local code, take_code = next_code(books, w.dp, ctx.code_seed)
  if not code then return 'skip' end
  take_code()
  chain.seq = chain.seq + 1
  entry.no, entry.code = chain.seq, code
  contribute(ctx, books, chain, entry, 1)
  remember_device_entry(books, entry)
  local stock, sold_out_now = stock_of(books, defs, d)
  close_books(books)
  settle_status(ctx, chain, now, sold_out_now, false)
  entry_event(ctx, chain, 'entry:created', entry, stock, nil)
  w.st, w.no, w.up = 'p', entry.no, now
  save_waiter(ctx, w)
  if w.dh then call('HDEL', ctx.wait, 'd:' .. w.dh .. ':' .. w.i) end
  return 'promoted'
end

-- Freed units go to the waitlist, in order, inside the script that freed them. Per item, from
-- the head of its queue: see promote_one. Never after the cutoff, never while residents can't
-- join (a chain the grower closed, cancelled or delivered). `items`: ids whose stock came back.
local function promote(ctx, chain, now, items)
  if not ctx.wait or #items == 0 then return end
  if check_open(chain, now, false) then return end
  local changed = {}
  for _, item in ipairs(items) do
    local ids = queue_of(ctx, item)
    local keep, stopped, moved = {}, false, false
    for _, id in ipairs(ids) do
      local outcome = 'stop'
      if not stopped then
        local w = load_waiter(ctx, id)
        outcome = w and w.st == 'w' and promote_one(ctx, chain, now, w) or 'gone'
      end
      if outcome == 'promoted' or outcome == 'gone' then
        moved = true
      else
        if outcome == 'stop' then stopped = true end
        keep[#keep + 1] = id
      end
    end
    if moved then
      save_queue(ctx, item, keep)
      changed[#changed + 1] = item
    end
  end
  if #changed > 0 then waitlist_event(ctx, chain, changed) end
end

-- The items whose quantity went down in `d` (net change per item), sorted.
local function freed_items(d)
  local ids = {}
  for id, delta in pairs(d) do if delta < 0 then ids[#ids + 1] = id end end
  table.sort(ids)
  return ids
end
