/**
 * The node agent: it owns identities, the ipcache and the compiled policy, keeps them current as
 * the policy directory changes, and runs the proxy that enforces them. Policy and ipcache are
 * swapped together as one immutable {@code PolicyState}, so a request is always judged by one
 * consistent revision; a policy file that fails to load never weakens what is in force.
 */
package io.portcullis.agent;
