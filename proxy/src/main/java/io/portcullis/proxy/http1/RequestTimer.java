package io.portcullis.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection deadline, placed before the decoder so it sees raw bytes. One timer at a
 * time, armed by {@link Http1ProxyHandler}:
 * <ul>
 *   <li>{@link Expired#HEAD}: a request head must be complete within the header-read timeout,
 *       counted from connection open or from the first byte after an idle period;</li>
 *   <li>{@link Expired#IDLE}: keep-alive connection without any byte for the idle timeout (the
 *       first byte turns the idle timer into a head deadline);</li>
 *   <li>{@link Expired#DISCARD}: a denied request's body must be drained within the header-read
 *       timeout.</li>
 * </ul>
 * Expiry is reported as a user event; the proxy handler decides what to answer.
 */
public final class RequestTimer extends ChannelInboundHandlerAdapter {
    /** The user event fired when a deadline passes. */
    public enum Expired { HEAD, IDLE, DISCARD }

    private final long headNanos;
    private final long idleNanos;
    /** No deadline is closer than this after it is set, so a check this often never fires late. */
    private final long checkNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private Expired armed;
    private long deadline;

    public RequestTimer(Duration headerReadTimeout, Duration idleTimeout) {
        this.headNanos = headerReadTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.checkNanos = Math.min(headNanos, idleNanos);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitHead();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (armed == Expired.IDLE && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            awaitHead();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        cancelCheck();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
        cancelCheck();
    }

    /** Expect a request head within the header-read timeout from now. */
    public void awaitHead() {
        arm(Expired.HEAD, headNanos);
    }

    /** Nothing in flight: close after the idle timeout unless a byte arrives. */
    public void awaitIdle() {
        arm(Expired.IDLE, idleNanos);
    }

    /** A denied body is being drained: it must end within the header-read timeout. */
    public void awaitDiscard() {
        arm(Expired.DISCARD, headNanos);
    }

    public void stop() {
        armed = null;
    }

    /**
     * Re-arming happens several times per request, so it only moves the deadline: the scheduled
     * check (at most {@code checkNanos} away, hence never later than any new deadline) re-schedules
     * itself for the rest. Scheduling and cancelling a task per request would cost a priority-queue
     * insert and removal each time on the event loop.
     */
    private void arm(Expired kind, long nanos) {
        armed = kind;
        deadline = System.nanoTime() + nanos;
        if (check == null) {
            schedule(nanos);
        }
    }

    private void schedule(long nanos) {
        check = ctx.executor().schedule(this::onCheck, Math.min(nanos, checkNanos), TimeUnit.NANOSECONDS);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void onCheck() {
        check = null;
        Expired kind = armed;
        if (kind == null) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        armed = null;
        ctx.fireUserEventTriggered(kind);
    }
}
