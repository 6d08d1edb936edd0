package org.galley.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A served command's output, sent to the client by a thread of its own: a cancel interrupts
 * the command's threads, and an interrupted thread's channel write would close the channel.
 */
final class ResidentOutput {
    private final SocketChannel ch;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    ResidentOutput(SocketChannel ch) {
        this.ch = ch;
        writer = new Thread(this::drain, "galley-resident-output");
        writer.setDaemon(true);
        writer.start();
    }

    private void drain() {
        try {
            while (true) {
                byte[] frame = queue.take();
                if (frame.length == 0) return;
                Resident.send(ch, frame[0], Arrays.copyOfRange(frame, 1, frame.length));
            }
        } catch (InterruptedException | IOException e) {
            // the client is gone; the command goes on to its end (its cancel comes from the signal reader)
        }
    }

    void offer(byte kind, byte[] b, int off, int len) {
        byte[] frame = new byte[len + 1];
        frame[0] = kind;
        System.arraycopy(b, off, frame, 1, len);
        queue.offer(frame);
    }

    PrintWriter writer(byte kind) {
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                offer(kind, new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                offer(kind, b, off, len);
            }
        };
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** Sends the exit code after everything the command printed. */
    void end(int code) {
        offer(Resident.EXIT, Resident.number(code), 0, 4);
        queue.offer(new byte[0]);
        try {
            writer.join(Resident.ANSWER_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
