/*
 * Apache FOP runs, many in one Java VM (trotsky_tei/fop_vm.py starts it and speaks to it).
 *
 * Each line read from standard input is the arguments of one `fop` command, separated by tabs;
 * each run answers one line on standard output: "OK", or "ERR " and what went wrong. A run is what
 * FOP's own command line does (org.apache.fop.cli.Main), without ending the VM, so its output is
 * the command's byte for byte. FOP's messages go to standard error. The VM ends at the end of its
 * input, when the process that started it is gone, or after the number of seconds given as its
 * one argument without a run (0: never), so that a long-lived process holds no idle VM.
 *
 * Launched as a source file (java ... FopBatch.java): no compiled class is shipped or written.
 */

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.fop.apps.FOUserAgent;
import org.apache.fop.apps.MimeConstants;
import org.apache.fop.cli.CommandLineOptions;

public final class FopBatch {

    /** The command line's options; what it reads of them is protected. */
    static final class Options extends CommandLineOptions {
        FOUserAgent userAgent() throws Exception {
            return getFOUserAgent();
        }

        String format() throws Exception {
            return getOutputFormat();
        }
    }

    public static void main(String[] argv) throws Exception {
        PrintStream reply = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err);      // nothing but the replies on standard output
        watchParent();
        watchIdle(argv.length > 0 ? Double.parseDouble(argv[0]) : 0);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        reply.println("READY");
        String line;
        while ((line = in.readLine()) != null) {
            busy = true;
            try {
                run(line.split("\t"));
                giveBackMemory();
                reply.println("OK");
            } catch (Throwable e) {
                reply.println("ERR " + oneLine(e));
                if (e instanceof Error && !(e instanceof StackOverflowError)) {
                    System.exit(2);         // out of memory or worse: a new VM for the next run
                }
            } finally {
                lastRun = System.nanoTime();
                busy = false;
            }
        }
    }

    /** A run is being made; when the last one ended. */
    static volatile boolean busy = false;
    static volatile long lastRun = System.nanoTime();

    /**
     * Ends the VM after `seconds` without a run. A process that keeps running (a worker of a
     * cluster, a service) would otherwise hold an idle VM and its heap for as long as it lives;
     * its next run starts a new one (a run sent as the VM ends is made again in the new one).
     */
    static void watchIdle(double seconds) {
        if (!(seconds > 0)) {
            return;
        }
        long limit = (long) (seconds * 1e9);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(Math.max(10L, Math.min(1000L, limit / 4_000_000L)));
                } catch (InterruptedException e) {
                    return;
                }
                if (!busy && System.nanoTime() - lastRun > limit) {
                    System.exit(0);
                }
            }
        }, "idle-watch");
        t.setDaemon(true);
        t.start();
    }

    /** One run, as org.apache.fop.cli.Main.startFOP makes it. */
    static void run(String[] args) throws Exception {
        Options options = new Options();
        if (!options.parse(args)) {
            throw new IllegalArgumentException("arguments not understood: " + String.join(" ", args));
        }
        FOUserAgent agent = options.userAgent();
        String format = options.format();
        if (options.getOutputFile() == null) {
            throw new IllegalArgumentException("no output file");
        }
        agent.setOutputFile(options.getOutputFile());
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(options.getOutputFile()))) {
            if (MimeConstants.MIME_XSL_FO.equals(format)) {
                options.getInputHandler().transformTo(out);
            } else {
                options.getInputHandler().renderTo(agent, format, out);
            }
        }
    }

    /** Heap above which a run's garbage is collected at once, so that the heap shrinks again. */
    static final long KEEP = 256L << 20;

    /**
     * A VM keeps the heap a long document made it grow to (about 900 MB for a 200-page book), and
     * a batch keeps its VM: after such a run, a full collection lets the heap shrink and its memory
     * go back to the system, as the end of a `fop` command's VM did. A short document's run, under
     * the limit, costs nothing more.
     */
    static void giveBackMemory() {
        if (Runtime.getRuntime().totalMemory() > KEEP) {
            System.gc();
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == e ? String.valueOf(e) : e + " (" + root + ")";
        return text.replaceAll("\\s+", " ");
    }

    /** Ends the VM once the process that started it has ended, even in the middle of a run. */
    static void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle p = parent.get();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (!p.isAlive()) {
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
