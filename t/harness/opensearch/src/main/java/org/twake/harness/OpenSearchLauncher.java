package org.twake.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch for tests, run in-process from jars on the classpath
 * instead of from a distribution (which can't be downloaded here).
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' org.twake.harness.OpenSearchLauncher \
 *      --home DIR --http-port N --transport-port M [--cluster-name C] [--node-name N]
 * </pre>
 *
 * Unlike bin/opensearch there are no bootstrap checks, no jar hell check, no
 * security manager and no native (JNA) set-up: none of them matter on loopback.
 */
public final class OpenSearchLauncher {

    /** Node's constructor that takes plugin classes is protected: that's all this subclass is for. */
    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    /** The modules a distribution would load from modules/ that the worker needs. */
    private static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // HTTP and transport
        CommonAnalysisPlugin.class,  // edge_ngram, asciifolding, uax_url_email, ...
        PainlessPlugin.class         // painless scripts
    );

    public static void main(String[] args) throws Exception {
        Path home = null;
        String httpPort = null, transportPort = null;
        String clusterName = "twake-calendar-test", nodeName = "node-0";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home": home = Paths.get(value).toAbsolutePath(); i++; break;
                case "--http-port": httpPort = value; i++; break;
                case "--transport-port": transportPort = value; i++; break;
                case "--cluster-name": clusterName = value; i++; break;
                case "--node-name": nodeName = value; i++; break;
                default: usage("unknown argument " + args[i]);
            }
        }
        if (home == null || httpPort == null || transportPort == null) {
            usage("--home, --http-port and --transport-port are required");
        }
        for (String dir : new String[] {"config", "data", "logs"}) {
            Files.createDirectories(home.resolve(dir));
        }

        Settings settings = Settings.builder()
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // A full test disk must not turn indices read-only or block shard allocation.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // With a small heap, the real-memory parent breaker trips on garbage that the
            // next GC would reclaim; count reserved bytes only, as before 7.0.
            .put("indices.breaker.total.use_real_memory", false)
            .build();
        Environment environment = new Environment(settings, home.resolve("config"));

        loadPainlessExtensions();
        Node node = new ClasspathNode(environment, PLUGINS);

        // bin/opensearch keeps a non-daemon thread alive until shutdown; node threads are daemons.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(10, TimeUnit.SECONDS)) {
                    System.err.println("opensearch: node not closed after 10 s");
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "opensearch-shutdown"));

        try {
            node.start();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // runs the hook, which closes what was opened
        }
        stopped.await();
    }

    /**
     * Painless reads the whitelists other plugins add through SPI (analysis-common's for
     * script token filters) only for plugins loaded from a plugin folder; classpath plugins
     * skip that step. Its whitelist map is static, so loading them once here, on an instance
     * of our own, before the node builds the script engine, is enough.
     */
    private static void loadPainlessExtensions() {
        new PainlessPlugin().loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
            @Override
            public <T> List<T> loadExtensions(Class<T> extensionPointType) {
                List<T> extensions = new ArrayList<>();
                ServiceLoader.load(extensionPointType, OpenSearchLauncher.class.getClassLoader()).forEach(extensions::add);
                return extensions;
            }
        });
    }

    private static void usage(String problem) {
        System.err.println("opensearch launcher: " + problem);
        System.err.println("usage: OpenSearchLauncher --home DIR --http-port N --transport-port M"
            + " [--cluster-name NAME] [--node-name NAME]");
        System.exit(2);
    }
}
