package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Spring Boot order service logging through logback's default layout: orders, stock, payments,
 * product lookups, scheduled jobs and pool statistics, with the ordinary handled exceptions
 * (payment time-outs, invalid requests, warehouse hiccups) printed with their stack traces.
 * Anomalies: OutOfMemoryError, StackOverflowError, an unexpected NullPointerException, a
 * connection-pool exhaustion storm, negative durations.
 */
final class JavaServiceFormat implements LogFormat {
    private static final List<String> REQUEST_FRAMES = List.of(
            "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
            "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
            "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
            "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
            "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
    private static final List<String> CATEGORIES = List.of("shoes", "jackets", "bags", "hats", "socks", "sale");

    private final Dice dice;
    private final WeightedChoice<String> requestThreads;
    private final WeightedChoice<Integer> customers;
    private final WeightedChoice<Integer> skus;
    private final WeightedChoice<Activity> activities;
    private final List<AnomalySpec> anomalies;
    private int nextOrder;

    JavaServiceFormat(Dice dice) {
        this.dice = dice;
        this.requestThreads = WeightedChoice.zipfPool(12, 0.7, i -> "http-nio-8080-exec-" + (i + 1));
        this.customers = WeightedChoice.zipfPool(500, 0.8, i -> dice.between(1_000, 9_999));
        this.skus = WeightedChoice.zipfPool(300, 0.8, i -> dice.between(10_000, 19_999));
        this.nextOrder = dice.between(40_000, 45_000);
        this.activities = WeightedChoice.<Activity>builder()
                .add(3, this::placeOrder)
                .add(8, this::productLookup)
                .add(4, this::productListing)
                .add(4, this::cartChange)
                .add(1, this::expiredToken)
                .add(0.7, this::invalidOrder)
                .add(1.5, this::scheduledJob)
                .add(2, this::poolStats)
                .add(0.3, this::warehouseOutage)
                .build();
        this.anomalies = List.of(
                AnomalySpec.rare("uncaught OutOfMemoryError in the main thread after a GC stall", 0, 1, this::outOfMemory),
                AnomalySpec.rare("StackOverflowError from a recursive category tree", 1, 0, this::stackOverflow),
                AnomalySpec.rare("unexpected NullPointerException while placing an order", 0, 1, this::nullPayment),
                AnomalySpec.burst("connection pool exhausted: every request fails for a while", 1, 0, dice, 12, 20, 1.0,
                        this::poolExhausted),
                AnomalySpec.impossible("a request that completed in negative time", 1, 1,
                        (micros, out) -> out.emit(micros, lookupLine(micros, -dice.between(5, 900)))),
                AnomalySpec.timestampGoingBack(this, dice, 0, 1));
    }

    @Override
    public String fileName() {
        return "java-service.log";
    }

    @Override
    public String description() {
        return "A Java (Spring Boot) order service in logback's default layout, with multi-line stack traces "
                + "for the usual handled exceptions.";
    }

    @Override
    public double peakGapSeconds() {
        return 100;
    }

    @Override
    public void emitStart(long micros, Timeline out) {
        String[][] boot = {
            {"main", "c.a.OrderServiceApplication", "Starting OrderServiceApplication v2.4.1 using Java 17.0.10 with PID "
                    + dice.between(1_000, 90_000)},
            {"main", "c.a.OrderServiceApplication", "The following 1 profile is active: \"prod\""},
            {"main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"},
            {"main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."},
            {"main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."},
            {"main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"},
            {"main", "c.a.OrderServiceApplication", "Started OrderServiceApplication in 7.412 seconds (process running for 8.03)"}};
        long at = micros;
        for (String[] line : boot) {
            out.normal(at, line(at, "INFO", line[0], line[1], line[2]));
            at += dice.between(20_000, 1_500_000);
        }
    }

    @Override
    public void emitNormal(long micros, Timeline out) {
        activities.draw(dice).emit(micros, out);
    }

    @Override
    public String routineLine(long micros) {
        return lookupLine(micros, Math.round(dice.logNormal(14, 0.6)));
    }

    @Override
    public List<AnomalySpec> anomalies() {
        return anomalies;
    }

    private static String line(long micros, String level, String thread, String logger, String message) {
        return String.format(Locale.ROOT, "%s %-5s [%s] %s - %s", Stamps.format(Stamps.LOGBACK, micros), level, thread,
                logger, message);
    }

    /** The log line followed by the trace, as logback prints a logged exception. */
    private static List<String> withTrace(String line, StackTrace trace) {
        List<String> lines = new ArrayList<>();
        lines.add(line);
        lines.addAll(trace.lines());
        return lines;
    }

    private static List<String> requestFrames(String... own) {
        List<String> frames = new ArrayList<>(List.of(own));
        frames.addAll(REQUEST_FRAMES);
        return frames;
    }

    private String lookupLine(long micros, long millis) {
        return line(micros, "INFO", requestThreads.draw(dice), "c.a.catalog.ProductController",
                "GET /api/v1/products/" + skus.draw(dice) + " completed in " + millis + " ms status=200");
    }

    private String money() {
        return String.format(Locale.ROOT, "%.2f", dice.logNormal(60, 0.7));
    }

    /** Controller, stock reservations, payment (sometimes retried after a time-out), confirmation. */
    private void placeOrder(long micros, Timeline out) {
        String thread = requestThreads.draw(dice);
        int order = nextOrder++;
        int customer = customers.draw(dice);
        int items = dice.between(1, 4);
        long at = micros;
        out.normal(at, line(at, "INFO", thread, "c.a.orders.OrderController",
                "POST /api/v1/orders received (customer=" + customer + ", items=" + items + ")"));
        for (int i = 0; i < items; i++) {
            at += dice.between(1_000, 15_000);
            out.normal(at, line(at, "INFO", thread, "c.a.inventory.StockService", "Reserved " + dice.between(1, 3)
                    + " x SKU-" + skus.draw(dice) + " for order " + order));
        }
        String total = money();
        if (dice.chance(0.06)) {
            at += 5_000_000;
            StackTrace timeout = StackTrace.of("java.net.SocketTimeoutException: Read timed out", requestFrames(
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                    "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)",
                    "com.acme.payments.PaymentClient.authorize(PaymentClient.java:87)",
                    "com.acme.orders.OrderService.placeOrder(OrderService.java:142)",
                    "com.acme.orders.OrderController.create(OrderController.java:58)"));
            out.normal(at, withTrace(line(at, "WARN", thread, "c.a.payments.PaymentClient",
                    "Payment provider call failed for order " + order + ", retrying (attempt 1/3)"), timeout));
        }
        at += Math.round(dice.logNormal(0.35, 0.5) * 1_000_000);
        out.normal(at, line(at, "INFO", thread, "c.a.payments.PaymentClient", "Payment authorized for order " + order
                + ": amount=" + total + " EUR, ref=pay_" + dice.hex(16)));
        at += dice.between(2_000, 30_000);
        out.normal(at, line(at, "INFO", thread, "c.a.orders.OrderService", "Order " + order + " created for customer "
                + customer + " (" + items + " items, total " + total + " EUR)"));
    }

    private void productLookup(long micros, Timeline out) {
        out.normal(micros, routineLine(micros));
    }

    private void productListing(long micros, Timeline out) {
        out.normal(micros, line(micros, "INFO", requestThreads.draw(dice), "c.a.catalog.ProductController",
                "GET /api/v1/products?category=" + dice.pick(CATEGORIES) + "&page=" + dice.between(1, 5)
                        + " completed in " + Math.round(dice.logNormal(35, 0.6)) + " ms status=200 (24 items)"));
    }

    private void cartChange(long micros, Timeline out) {
        boolean add = dice.chance(0.75);
        out.normal(micros, line(micros, "INFO", requestThreads.draw(dice), "c.a.cart.CartService",
                (add ? "Added SKU-" : "Removed SKU-") + skus.draw(dice) + " x " + dice.between(1, 3)
                        + (add ? " to" : " from") + " cart of customer " + customers.draw(dice)));
    }

    private void expiredToken(long micros, Timeline out) {
        out.normal(micros, line(micros, "WARN", requestThreads.draw(dice), "c.a.auth.JwtFilter",
                "Rejected " + dice.pick("GET /api/v1/orders", "GET /api/v1/cart", "POST /api/v1/cart/items")
                        + ": token expired for customer " + customers.draw(dice)));
    }

    /** A client sends a bad quantity; the controller advice logs it with its trace and answers 400. */
    private void invalidOrder(long micros, Timeline out) {
        StackTrace invalid = StackTrace.of("com.acme.orders.InvalidOrderException: quantity must be positive for SKU-"
                + skus.draw(dice), requestFrames(
                "com.acme.orders.OrderValidator.check(OrderValidator.java:41)",
                "com.acme.orders.OrderService.placeOrder(OrderService.java:118)",
                "com.acme.orders.OrderController.create(OrderController.java:58)"));
        out.normal(micros, withTrace(line(micros, "WARN", requestThreads.draw(dice), "c.a.web.ApiExceptionHandler",
                "400 Bad Request for POST /api/v1/orders (customer=" + customers.draw(dice) + ")"), invalid));
    }

    private void scheduledJob(long micros, Timeline out) {
        String message = dice.chance(0.6)
                ? "Removed " + dice.between(0, 40) + " expired carts in " + Math.round(dice.logNormal(40, 0.5)) + " ms"
                : "Product cache refreshed: " + dice.between(1_400, 1_450) + " products in "
                        + Math.round(dice.logNormal(800, 0.3)) + " ms";
        String logger = message.startsWith("Removed") ? "c.a.cart.CartCleanupJob" : "c.a.catalog.ProductCacheRefresher";
        out.normal(micros, line(micros, "INFO", "scheduling-1", logger, message));
    }

    private void poolStats(long micros, Timeline out) {
        int active = dice.between(0, 4);
        out.normal(micros, line(micros, "DEBUG", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                "HikariPool-1 - Pool stats (total=10, active=" + active + ", idle=" + (10 - active) + ", waiting=0)"));
    }

    /** The warehouse API answers 503 now and then; the job logs the wrapped cause and retries. */
    private void warehouseOutage(long micros, Timeline out) {
        StackTrace failure = StackTrace.of("com.acme.inventory.StockSyncException: warehouse API returned 503",
                List.of("com.acme.inventory.WarehouseClient.fetchStock(WarehouseClient.java:64)",
                        "com.acme.inventory.StockSyncJob.run(StockSyncJob.java:37)",
                        "org.springframework.scheduling.support.ScheduledMethodRunnable.run(ScheduledMethodRunnable.java:84)",
                        "java.base/java.lang.Thread.run(Thread.java:840)"))
                .causedBy("java.io.IOException: Server returned HTTP response code: 503 for URL: "
                        + "http://warehouse.internal:8081/api/v2/stock", List.of(
                        "java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:2000)",
                        "com.acme.inventory.WarehouseClient.fetchStock(WarehouseClient.java:58)"), 3);
        out.normal(micros, withTrace(line(micros, "ERROR", "scheduling-1", "c.a.inventory.StockSyncJob",
                "Stock sync with warehouse failed, retrying in 60 s"), failure));
    }

    private void outOfMemory(long micros, AnomalySpec.Emitter out) {
        out.emit(micros, line(micros, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m" + dice.between(2, 59) + "s)."));
        List<String> trace = StackTrace.of("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
                List.of("java.base/java.util.Arrays.copyOf(Arrays.java:3512)",
                        "java.base/java.util.ArrayList.grow(ArrayList.java:237)",
                        "com.acme.reports.SalesReportJob.loadAllOrders(SalesReportJob.java:88)",
                        "com.acme.reports.SalesReportJob.run(SalesReportJob.java:41)",
                        "com.acme.OrderServiceApplication.main(OrderServiceApplication.java:27)")).lines();
        out.emit(micros + 1_000, trace);
    }

    private void stackOverflow(long micros, AnomalySpec.Emitter out) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add("com.acme.catalog.CategoryTree.depth(CategoryTree.java:57)");
        }
        out.emit(micros, withTrace(line(micros, "ERROR", requestThreads.draw(dice),
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] threw exception"),
                StackTrace.of("java.lang.StackOverflowError: null", frames)));
    }

    private void nullPayment(long micros, AnomalySpec.Emitter out) {
        StackTrace npe = StackTrace.of("java.lang.NullPointerException: Cannot invoke "
                + "\"com.acme.payments.PaymentResult.reference()\" because \"result\" is null", requestFrames(
                "com.acme.orders.OrderService.placeOrder(OrderService.java:151)",
                "com.acme.orders.OrderController.create(OrderController.java:58)"));
        out.emit(micros, withTrace(line(micros, "ERROR", requestThreads.draw(dice), "c.a.orders.OrderService",
                "Failed to place order " + nextOrder++), npe));
    }

    private AnomalySpec.BurstStep poolExhausted() {
        return (micros, index) -> List.of(line(micros, "ERROR", requestThreads.draw(dice), "c.a.web.ApiExceptionHandler",
                "500 for " + dice.pick("POST /api/v1/orders", "GET /api/v1/cart", "GET /api/v1/orders")
                        + ": org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection;"
                        + " HikariPool-1 - Connection is not available, request timed out after 30000ms."));
    }
}
