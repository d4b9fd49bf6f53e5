package org.slmworkbench.data;

import java.util.List;
import java.util.Locale;

/**
 * nginx "combined" access log with $request_time appended, for a small web shop: page visits
 * that pull in their assets, API calls, load-balancer health checks, crawlers and the usual
 * vulnerability scanners. Anomalies: 5xx storms, injection and traversal attempts, impossible
 * statuses, sizes and durations.
 */
final class NginxAccessFormat implements LogFormat {
    private static final String SITE = "https://shop.example.com";
    private static final String HEALTH_CHECKER = "10.0.0.2";

    private record Client(String ip, String userAgent) {
    }

    /** A request as logged; {@code seconds} is $request_time. */
    private record Request(Client client, String method, String target, String protocol, int status, long bytes,
            String referer, double seconds) {
    }

    private static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66");
    private static final List<Client> CRAWLERS = List.of(
            new Client("66.249.66.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            new Client("66.249.66.74", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            new Client("40.77.167.12", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"));
    private static final List<String> SCANNER_AGENTS = List.of(
            "Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0", "curl/7.88.1", "Go-http-client/1.1");
    private static final List<String> SCANNED_PATHS = List.of(
            "/wp-login.php", "/.env", "/phpmyadmin/index.php", "/.git/config", "/admin.php", "/xmlrpc.php",
            "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/cgi-bin/luci", "/server-status");
    private static final List<String> CATEGORIES = List.of("shoes", "jackets", "bags", "hats", "socks", "sale");
    private static final List<String> SEARCHES = List.of(
            "running+shoes", "rain+jacket", "wool+socks", "backpack", "gift+card", "sneakers+white");

    private final Dice dice;
    private final WeightedChoice<Client> clients;
    private final WeightedChoice<Integer> products;
    private final WeightedChoice<Activity> activities;
    private final WeightedChoice<Integer> pageStatus;
    private final WeightedChoice<Integer> apiStatus;
    private final List<String> assets;
    private final List<AnomalySpec> anomalies;

    NginxAccessFormat(Dice dice) {
        this.dice = dice;
        WeightedChoice<String> browsers = WeightedChoice.zipf(BROWSERS, 1.0);
        this.clients = WeightedChoice.zipfPool(400, 0.9, i -> new Client(dice.publicIp(), browsers.draw(dice)));
        this.products = WeightedChoice.zipfPool(300, 0.8, i -> dice.between(10_000, 19_999));
        this.assets = List.of("/static/js/app." + dice.hex(8) + ".js", "/static/js/vendor." + dice.hex(8) + ".js",
                "/static/css/main." + dice.hex(8) + ".css", "/fonts/inter-var.woff2", "/favicon.ico");
        this.pageStatus = WeightedChoice.<Integer>builder()
                .add(93, 200).add(3, 304).add(2, 404).add(1.5, 301).add(0.5, 499).build();
        this.apiStatus = WeightedChoice.<Integer>builder()
                .add(88, 200).add(3, 201).add(2, 204).add(3, 401).add(2, 404).add(1, 422).add(0.5, 499)
                .add(0.3, 500).add(0.2, 502).build();
        this.activities = WeightedChoice.<Activity>builder()
                .add(20, this::visit)
                .add(18, this::apiCall)
                .add(8, this::healthCheck)
                .add(4, this::crawl)
                .add(2, this::scan)
                .add(1.5, this::login)
                .build();
        this.anomalies = List.of(
                AnomalySpec.burst("5xx storm: the API upstream fails for a minute (502/504)", 2, 0, dice, 12, 20, 1.5,
                        this::upstreamDown),
                AnomalySpec.rare("SQL injection attempt answered with 500", 1, 1, this::sqlInjection),
                AnomalySpec.rare("path traversal attempt", 0, 1, this::pathTraversal),
                AnomalySpec.impossible("HTTP status 999", 0, 1,
                        (micros, out) -> out.emit(micros, render(micros, page(clients.draw(dice), 999)))),
                AnomalySpec.impossible("a negative request time", 1, 1,
                        (micros, out) -> out.emit(micros, render(micros,
                                withSeconds(api(clients.draw(dice)), -dice.logNormal(0.3, 0.8))))),
                AnomalySpec.impossible("a response of petabytes", 0, 1,
                        (micros, out) -> out.emit(micros, render(micros, withBytes(page(clients.draw(dice), 200),
                                dice.betweenLong(1_000_000_000_000_000L, 9_000_000_000_000_000_000L))))),
                AnomalySpec.timestampGoingBack(this, dice, 0, 1));
    }

    @Override
    public String fileName() {
        return "nginx-access.log";
    }

    @Override
    public String description() {
        return "nginx combined access log plus $request_time for a small shop: pages with their assets, "
                + "API calls, health checks, crawlers and scanners.";
    }

    @Override
    public double peakGapSeconds() {
        return 150;
    }

    @Override
    public void emitNormal(long micros, Timeline out) {
        activities.draw(dice).emit(micros, out);
    }

    @Override
    public String routineLine(long micros) {
        return render(micros, asset(clients.draw(dice), SITE + "/"));
    }

    @Override
    public List<AnomalySpec> anomalies() {
        return anomalies;
    }

    private static String render(long micros, Request r) {
        return String.format(Locale.ROOT, "%s - - [%s] \"%s %s %s\" %d %d \"%s\" \"%s\" %.3f", r.client().ip(),
                Stamps.format(Stamps.NGINX, micros), r.method(), r.target(), r.protocol(), r.status(), r.bytes(),
                r.referer(), r.client().userAgent(), r.seconds());
    }

    private static Request withSeconds(Request r, double seconds) {
        return new Request(r.client(), r.method(), r.target(), r.protocol(), r.status(), r.bytes(), r.referer(), seconds);
    }

    private static Request withBytes(Request r, long bytes) {
        return new Request(r.client(), r.method(), r.target(), r.protocol(), r.status(), bytes, r.referer(), r.seconds());
    }

    private String protocol() {
        return dice.chance(0.35) ? "HTTP/2.0" : "HTTP/1.1";
    }

    private String pagePath() {
        return switch (dice.between(0, 5)) {
            case 0 -> "/";
            case 1, 2 -> "/products/" + products.draw(dice);
            case 3 -> "/category/" + dice.pick(CATEGORIES) + (dice.chance(0.4) ? "?page=" + dice.between(2, 6) : "");
            case 4 -> "/search?q=" + dice.pick(SEARCHES);
            default -> dice.pick("/cart", "/checkout", "/account/orders");
        };
    }

    private String referer() {
        return switch (dice.between(0, 9)) {
            case 0, 1, 2 -> "-";
            case 3 -> "https://www.google.com/";
            default -> SITE + pagePath();
        };
    }

    private Request page(Client client, int status) {
        long bytes = switch (status) {
            case 304 -> 0;
            case 301 -> 169;
            case 404 -> 3_412;
            default -> Math.round(dice.logNormal(18_000, 0.5));
        };
        double seconds = status == 499 ? dice.logNormal(4, 0.6) : dice.logNormal(0.06, 0.7);
        return new Request(client, "GET", pagePath(), protocol(), status, bytes, referer(), seconds);
    }

    private Request asset(Client client, String referer) {
        boolean cached = dice.chance(0.3);
        String path = dice.chance(0.5) ? dice.pick(assets) : "/images/products/" + products.draw(dice) + "-"
                + dice.pick("thumb", "large") + ".jpg";
        long bytes = cached ? 0 : Math.round(dice.logNormal(path.endsWith(".js") ? 180_000 : 40_000, 0.6));
        return new Request(client, "GET", path, protocol(), cached ? 304 : 200, bytes, referer,
                dice.uniform() * 0.004);
    }

    private Request api(Client client) {
        int status = apiStatus.draw(dice);
        String[] call = switch (dice.between(0, 6)) {
            case 0 -> new String[] {"GET", "/api/v1/products?category=" + dice.pick(CATEGORIES) + "&page="
                    + dice.between(1, 5) + "&limit=24"};
            case 1, 2 -> new String[] {"GET", "/api/v1/products/" + products.draw(dice)};
            case 3 -> new String[] {"GET", "/api/v1/cart"};
            case 4 -> new String[] {"POST", "/api/v1/cart/items"};
            case 5 -> new String[] {dice.pick("PUT", "DELETE"), "/api/v1/cart/items/" + products.draw(dice)};
            default -> new String[] {dice.pick("GET", "POST"), "/api/v1/orders"
                    + (dice.chance(0.5) ? "/" + dice.between(40_000, 49_999) : "")};
        };
        long bytes = switch (status) {
            case 204, 499 -> 0;
            case 401 -> 64;
            case 500, 502 -> 157;
            default -> Math.round(dice.logNormal(1_800, 0.9));
        };
        double seconds = status == 499 ? dice.logNormal(8, 0.5) : dice.logNormal(0.045, 0.8);
        return new Request(client, call[0], call[1], protocol(), status, bytes, SITE + pagePath(), seconds);
    }

    /** A page, then the browser fetches a few assets within the next second. */
    private void visit(long micros, Timeline out) {
        Client client = clients.draw(dice);
        Request page = page(client, pageStatus.draw(dice));
        out.normal(micros, render(micros, page));
        if (page.status() != 200) {
            return;
        }
        long at = micros + Math.round(page.seconds() * 1_000_000);
        for (int i = dice.between(0, 4); i > 0; i--) {
            at += dice.between(5_000, 250_000);
            out.normal(at, render(at, asset(client, SITE + page.target())));
        }
    }

    private void apiCall(long micros, Timeline out) {
        out.normal(micros, render(micros, api(clients.draw(dice))));
    }

    private void healthCheck(long micros, Timeline out) {
        out.normal(micros, render(micros, new Request(new Client(HEALTH_CHECKER, "ELB-HealthChecker/2.0"), "GET",
                "/healthz", "HTTP/1.1", 200, 2, "-", 0.001)));
    }

    private void crawl(long micros, Timeline out) {
        Client crawler = dice.pick(CRAWLERS);
        String path = dice.chance(0.2) ? dice.pick("/robots.txt", "/sitemap.xml") : pagePath();
        out.normal(micros, render(micros, new Request(crawler, "GET", path, "HTTP/1.1", dice.chance(0.95) ? 200 : 404,
                Math.round(dice.logNormal(15_000, 0.6)), "-", dice.logNormal(0.05, 0.6))));
    }

    /** Vulnerability scanners probing for well-known files: constant background noise online. */
    private void scan(long micros, Timeline out) {
        Client scanner = new Client(dice.publicIp(), dice.pick(SCANNER_AGENTS));
        out.normal(micros, render(micros, new Request(scanner, dice.pick("GET", "GET", "POST"),
                dice.pick(SCANNED_PATHS), "HTTP/1.1", 404, 153, "-", dice.uniform() * 0.002)));
    }

    private void login(long micros, Timeline out) {
        boolean ok = dice.chance(0.85);
        out.normal(micros, render(micros, new Request(clients.draw(dice), "POST", "/login", protocol(), ok ? 302 : 200,
                ok ? 0 : 5_120, SITE + "/login", dice.logNormal(0.18, 0.4))));
    }

    private AnomalySpec.BurstStep upstreamDown() {
        boolean timeout = dice.chance(0.5);
        return (micros, index) -> {
            Request call = api(clients.draw(dice));
            return List.of(render(micros, new Request(call.client(), call.method(), call.target(), call.protocol(),
                    timeout ? 504 : 502, timeout ? 167 : 157, call.referer(),
                    timeout ? 60 + dice.uniform() * 0.01 : dice.uniform() * 0.002)));
        };
    }

    private void sqlInjection(long micros, AnomalySpec.Emitter out) {
        Client sqlmap = new Client(dice.publicIp(), "sqlmap/1.7.2#stable (https://sqlmap.org)");
        String target = "/products?id=" + products.draw(dice) + "%27%20UNION%20SELECT%20username,password%20FROM%20users--%20-";
        out.emit(micros, render(micros, new Request(sqlmap, "GET", target, "HTTP/1.1", 500, 579, "-",
                dice.logNormal(0.04, 0.5))));
    }

    private void pathTraversal(long micros, AnomalySpec.Emitter out) {
        Client scanner = new Client(dice.publicIp(), dice.pick(SCANNER_AGENTS));
        out.emit(micros, render(micros, new Request(scanner, "GET", "/static/../../../../etc/passwd", "HTTP/1.1", 400,
                157, "-", 0)));
    }
}
