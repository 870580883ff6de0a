import pg from 'pg';

/** Prefix of the directory users, apart from seed.ts's bench_user_ rows. */
export const DIRECTORY_USERNAME_PREFIX = 'dir_';

const GIVEN_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Shafi',
  'Leslie',
  'Sophie',
  'John',
  'Katherine',
  'Linus',
  'Anita',
  'Guido',
  'Hedy',
  'Niklaus',
  'Karen',
  'Bjarne',
  'Adele',
  'James',
  'Jean',
  'Yukihiro',
  'Lynn',
  'Vint',
  'Mary',
  'Robert',
  'Carol',
  'Ivan',
  'Joan',
  'Claude',
  'Evelyn',
  'Marvin',
  'Susan',
  'Richard',
  'Amelie',
  'Lukas',
  'Chiara',
  'Mateo',
  'Ines',
  'Noah',
  'Yara',
  'Omar',
  'Mei',
  'Ravi',
];

const FAMILY_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Goldwasser',
  'Lamport',
  'Wilson',
  'McCarthy',
  'Johnson',
  'Torvalds',
  'Borg',
  'van Rossum',
  'Lamarr',
  'Wirth',
  'Sparck Jones',
  'Stroustrup',
  'Goldberg',
  'Gosling',
  'Sammet',
  'Matsumoto',
  'Conway',
  'Cerf',
  'Keller',
  'Kahn',
  'Shaw',
  'Sutherland',
  'Clarke',
  'Shannon',
  'Berezin',
  'Minsky',
  'Kare',
  'Stallman',
  'Schmidt',
  'Muller',
  'Rossi',
  'Garcia',
  'Martin',
  'Bernard',
  'Nakamura',
  'Haddad',
  'Chen',
  'Patel',
  'Okafor',
  'Novak',
  'Kowalski',
  'Andersson',
  'Jensen',
  'Silva',
  'Costa',
  'Dubois',
  'Fischer',
  'Weber',
  'Ivanova',
];

const DOMAINS = ['example.com', 'example.org', 'mail.example', 'corp.example', 'uni.example'];
const LOCALES = ['en-GB', 'en-US', 'fr-FR', 'de-DE', 'es-ES', 'it-IT', 'ja-JP', 'pt-BR'];
const ZONES = ['Europe/London', 'America/New_York', 'Europe/Paris', 'Europe/Berlin', 'Asia/Tokyo'];

/**
 * Seeds `count` users for the admin list, FAST: one INSERT ... SELECT over generate_series
 * per table, names drawn from fixed lists by index (so trigram search has real words to
 * match), creation spread over three years, and about three sessions each, of which roughly
 * two are live. Every user shares `passwordHash` (hashing 100,000 passwords would take hours).
 */
export async function seedDirectory(databaseUrl: string, count: number, passwordHash: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (username, email, password_hash, given_name, family_name, name, is_active,
                          email_verified, requires_password_change, locale, zoneinfo, created_at, updated_at,
                          last_login_at)
       SELECT $1::text || lower(g.given) || '.' || lower(replace(f.family, ' ', '')) || i,
              lower(g.given) || '.' || lower(replace(f.family, ' ', '')) || i || '@' || ($6::text[])[1 + i % array_length($6::text[], 1)],
              $2, g.given, f.family, g.given || ' ' || f.family,
              i % 20 <> 0, i % 10 < 7, i % 50 = 0,
              ($7::text[])[1 + i % array_length($7::text[], 1)],
              ($8::text[])[1 + (i / 7) % array_length($8::text[], 1)],
              created, created,
              CASE WHEN i % 4 = 0 THEN NULL ELSE created + (now() - created) * ((i::bigint * 7919) % 1000) / 1000.0 END
         FROM generate_series(1, $3::int) AS i
        CROSS JOIN LATERAL (SELECT ($4::text[])[1 + i % array_length($4::text[], 1)] AS given) AS g
        CROSS JOIN LATERAL (SELECT ($5::text[])[1 + (i / 3) % array_length($5::text[], 1)] AS family) AS f
        CROSS JOIN LATERAL (SELECT now() - make_interval(secs => ((i::bigint * 104729) % (3 * 365 * 86400))::double precision) AS created) AS c`,
      [DIRECTORY_USERNAME_PREFIX, passwordHash, count, GIVEN_NAMES, FAMILY_NAMES, DOMAINS, LOCALES, ZONES],
    );
    await client.query(
      `INSERT INTO user_roles (user_id, role_id)
       SELECT u.id, r.id FROM users u CROSS JOIN roles r
        WHERE r.name = 'user' AND u.username LIKE $1 || '%'`,
      [DIRECTORY_USERNAME_PREFIX],
    );
    // Three sessions a user: two live, one revoked (as the prune leaves them for a week).
    await client.query(
      `INSERT INTO sessions (user_id, client_id, created_at, last_seen_at, expires_at, idle_expires_at,
                             revoked_at, revoke_reason, ip, user_agent)
       SELECT u.id, 'portcullis', now() - make_interval(hours => n * 5), now() - make_interval(hours => n),
              now() + interval '20 days', now() + interval '5 days',
              CASE WHEN n = 3 THEN now() - interval '1 hour' END, CASE WHEN n = 3 THEN 'logout' END,
              '192.0.2.' || (n * 17), 'Mozilla/5.0 (bench)'
         FROM users u CROSS JOIN generate_series(1, 3) AS n
        WHERE u.username LIKE $1 || '%'`,
      [DIRECTORY_USERNAME_PREFIX],
    );
    await client.query('VACUUM ANALYZE users');
    await client.query('VACUUM ANALYZE user_roles');
    await client.query('VACUUM ANALYZE sessions');
  } finally {
    await client.end();
  }
}
