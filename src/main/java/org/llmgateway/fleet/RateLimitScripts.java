package org.llmgateway.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The two Lua scripts of the fleet's rate limits, the same generic cell rate algorithm as {@code
 * limit.Gcra} in microseconds of the Redis server's clock (so replicas with skewed clocks agree).
 * One hash per gateway key holds each limit's theoretical arrival time and the emission interval it
 * was computed with ({@code rt ri tt ti}); it expires a second after the key's budgets are full
 * again (the later of the two arrival times, which only grow while the key is in use).
 */
final class RateLimitScripts {
  private static final String COMMON =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local function rescale(tat, old, new)
        if tat == nil or old == nil or old == new or tat <= now then return tat or now end
        return now + (tat - now) * new / old
      end
      local function num(x) return string.format('%.17g', x) end
      local function keep(until_us)
        redis.call('PEXPIRE', KEYS[1], math.ceil((until_us - now) / 1000) + 1000)
      end
      """;

  /**
   * ARGV: rpm, tpm (0: no such limit), and "peek" to count nothing (the admin view). Returns
   * {refused (0 none, 1 requests, 2 tokens), requests remaining, requests reset (us), tokens
   * remaining, tokens reset (us), wait (us)}.
   */
  static final Script ADMIT =
      new Script(
          COMMON
              + """
              local rpm = tonumber(ARGV[1])
              local tpm = tonumber(ARGV[2])
              local s = redis.call('HMGET', KEYS[1], 'rt', 'ri', 'tt', 'ti')
              local wait, refused = 0, 0
              local ri, rt, ti, tt = 1, now, 1, now
              if rpm > 0 then
                ri = 60000000 / rpm
                rt = math.max(now, rescale(tonumber(s[1]), tonumber(s[2]), ri))
                local over = rt + ri - now - ri * rpm
                if over > 0.001 then wait = over; refused = 1 end
              end
              if tpm > 0 then
                ti = 60000000 / tpm
                tt = math.max(now, rescale(tonumber(s[3]), tonumber(s[4]), ti))
                local over = tt + ti - now - ti * tpm
                if over > 0.001 and over > wait then wait = over; refused = 2 end
              end
              if refused == 0 and ARGV[3] ~= 'peek' then
                if rpm > 0 then rt = rt + ri end
                if rpm > 0 and tpm > 0 then
                  redis.call('HSET', KEYS[1], 'rt', num(rt), 'ri', num(ri), 'tt', num(tt), 'ti', num(ti))
                elseif rpm > 0 then
                  redis.call('HSET', KEYS[1], 'rt', num(rt), 'ri', num(ri))
                else
                  redis.call('HSET', KEYS[1], 'tt', num(tt), 'ti', num(ti))
                end
                keep(math.max(rt, tt, tonumber(s[3]) or now))
              end
              local function remaining(limit, interval, tat)
                if limit <= 0 then return 0 end
                local r = math.floor((interval * limit - (tat - now)) / interval + 0.000001)
                if r < 0 then return 0 end
                if r > limit then return limit end
                return r
              end
              return {refused, remaining(rpm, ri, rt), math.ceil(rt - now),
                      remaining(tpm, ti, tt), math.ceil(tt - now), math.ceil(wait)}
              """);

  /** ARGV: tpm, tokens. Moves the token budget's arrival time by tokens * 60 s / tpm. */
  static final Script CHARGE =
      new Script(
          COMMON
              + """
              local tpm = tonumber(ARGV[1])
              local tokens = tonumber(ARGV[2])
              local ti = 60000000 / tpm
              local s = redis.call('HMGET', KEYS[1], 'tt', 'ti', 'rt')
              local tt = math.max(now, rescale(tonumber(s[1]), tonumber(s[2]), ti)) + tokens * ti
              redis.call('HSET', KEYS[1], 'tt', num(tt), 'ti', num(ti))
              keep(math.max(tt, tonumber(s[3]) or now))
              return 1
              """);

  private RateLimitScripts() {}

  /**
   * A script run by its SHA-1 ({@code EVALSHA}); the first run on a server that does not have it (a
   * new or restarted Redis answers {@code NOSCRIPT}) sends the text with {@code EVAL}, which also
   * caches it there.
   */
  record Script(String text, String sha) {
    Script(String text) {
      this(text, sha1(text));
    }

    Object run(UnifiedJedis redis, String key, List<String> args) {
      try {
        return redis.evalsha(sha, List.of(key), args);
      } catch (JedisNoScriptException e) {
        return redis.eval(text, List.of(key), args);
      }
    }

    private static String sha1(String text) {
      try {
        return HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK always has SHA-1", e);
      }
    }
  }
}
