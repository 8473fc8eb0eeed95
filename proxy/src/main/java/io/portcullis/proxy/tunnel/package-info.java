/**
 * Opaque byte relays between a downstream connection and its upstream once the HTTP layer has
 * handed both over (a WebSocket upgrade answered {@code 101}): {@link io.portcullis.proxy.tunnel.Tunnel}
 * joins the two channels, {@link io.portcullis.proxy.tunnel.TunnelRelay} is the last handler of each.
 *
 * <p>Contract: bytes pass unchanged and in order; auto-read stays off and each side is read
 * again only once what it last produced was written to the other (read-after-write, as in
 * Netty's HexDumpProxy). A close, an input shutdown or an error on either side, or no byte either
 * way for the idle timeout, closes both after what was written is flushed; the close is reported
 * once, with the bytes each way and the tunnel's duration.
 */
package io.portcullis.proxy.tunnel;
