package io.orrery.shell.tenant;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TokenInfo;
import io.orrery.api.tenant.TokenScope;
import io.orrery.api.tenant.TokenTerms;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * {@code orrery:tenant-token <name> [--scope deploy,run,read] [--expires 30d]}: another API token for the tenant
 * (or the administrator with {@code --admin}), as the last line. {@code --list} shows the stored tokens (ids,
 * scopes, expiry; never a secret), {@code --revoke <id>} revokes one, an administrator's included.
 */
@Command(scope = "orrery", name = "tenant-token",
        description = "Issues an API token for a tenant (or --admin), printed as the last line; --list shows tokens, "
                + "--revoke <id> revokes one")
@Service
public class TenantTokenCommand extends TenantCommandSupport {

    private static final Pattern LIFETIME = Pattern.compile("([1-9][0-9]{0,5})([smhd])");
    /** The longest lifetime a token is given; one that should not expire is issued without {@code --expires}. */
    static final Duration LONGEST = Duration.ofDays(3650);

    @Argument(index = 0, name = "name", required = false, description = "The tenant (omit with --admin or --revoke)")
    @Completion(TenantNameCompleter.class)
    String name;

    @Option(name = "-r", aliases = "--revoke-others", description = "Revoke the tenant's earlier tokens")
    boolean revokeOthers;

    @Option(name = "-a", aliases = "--admin", description = "An administrator token, which sees every tenant")
    boolean admin;

    @Option(name = "-s", aliases = "--scope", description = "What the token may do: any of deploy,run,read (default all)")
    @Completion(value = StringsCompleter.class, values = {"deploy", "run", "read", "deploy,run,read", "run,read"})
    String scope;

    @Option(name = "-e", aliases = "--expires", description = "Time to live: 30d, 12h, 45m, 90s or ISO-8601 (PT8H); "
            + "at most 3650d; default never")
    String expires;

    @Option(name = "-l", aliases = "--list", description = "List the tenant's (or with --admin, the administrators') tokens")
    boolean list;

    @Option(name = "--revoke", description = "Revoke the token with this id (as listed), a tenant's or an administrator's")
    String revoke;

    @Override
    protected void execute(TenantDirectory directory, PrintStream out) {
        if (revoke != null) {
            revoke(directory, out);
            return;
        }
        if (admin == (name != null)) {
            throw new IllegalArgumentException("Name a tenant, or give --admin");
        }
        if (list) {
            list(directory.tokens(admin ? null : name), out);
            return;
        }
        TokenTerms terms = new TokenTerms(scope == null ? TokenScope.all() : TokenScope.parse(scope), lifetime(expires));
        IssuedToken token = admin ? directory.issueAdminToken(terms) : directory.issueToken(name, terms, revokeOthers);
        out.println((admin ? "Administrator token" : "Token for tenant " + name) + " issued (token id "
                + token.tokenId() + ", scopes " + TokenScope.format(terms.scopes())
                + (terms.ttl() == null ? ", no expiry" : ", expires in " + expires) + ")"
                + (revokeOthers && !admin ? "; the earlier tokens are revoked." : "."));
        out.println("It is shown only now (Orrery keeps a hash), so store it:");
        out.println(token.token());
    }

    private void revoke(TenantDirectory directory, PrintStream out) {
        if (name != null || admin || list || scope != null || expires != null || revokeOthers) {
            throw new IllegalArgumentException("--revoke takes a token id and nothing else");
        }
        if (!directory.revokeToken(revoke.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("No stored token has the id " + revoke.replaceAll("\\P{Graph}", "?")
                    + " (see tenant-token --list)");
        }
        out.println("Token " + revoke.trim().toLowerCase(Locale.ROOT) + " revoked; it no longer works.");
    }

    private static void list(List<TokenInfo> tokens, PrintStream out) {
        out.println(String.format("%-10s %-16s %-22s %s", "ID", "SCOPES", "CREATED", "EXPIRES"));
        for (TokenInfo token : tokens) {
            out.println(String.format("%-10s %-16s %-22s %s", token.tokenId(), TokenScope.format(token.scopes()),
                    token.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    token.expiresAt() == null ? "never" : token.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 45m}, {@code 90s}, or ISO-8601 ({@code PT8H}); null for no expiry. */
    static Duration lifetime(String text) {
        if (text == null) {
            return null;
        }
        Duration lifetime = parsedLifetime(text);
        if (lifetime.compareTo(LONGEST) > 0) {
            // An expiry centuries away overflowed the stored time, failing with a bare "long overflow".
            throw new IllegalArgumentException("--expires: '" + text.replaceAll("\\P{Graph}", "?") + "' is longer "
                    + "than " + LONGEST.toDays() + "d; leave --expires out for a token that does not expire");
        }
        return lifetime;
    }

    private static Duration parsedLifetime(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = LIFETIME.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            if (!parsed.isNegative() && !parsed.isZero()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("--expires: '" + text.replaceAll("\\P{Graph}", "?")
                + "' is not a positive duration such as 30d, 12h, 45m, 90s or PT8H");
    }
}
