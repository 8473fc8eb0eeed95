/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Test-only object: includes every shared header so that all key/value structs (including those
 * of programs not written yet) are in one BTF blob for StructLayoutTest. Never loaded.
 */
#include "lib/common.h"
#include "lib/conntrack.h"
#include "lib/drop.h"
#include "lib/flow_events.h"
#include "lib/fragments.h"
#include "lib/ipcache.h"
#include "lib/lb.h"
#include "lib/policy.h"
#include "lib/prefilter.h"
#include "lib/sockmap.h"

/* Enums reach BTF only through a use; these globals are that use. */
enum drop_reason btf_drop_reason;
enum policy_verdict btf_policy_verdict;
enum policy_direction btf_policy_direction;
enum ct_direction btf_ct_direction;
enum ct_lifetime btf_ct_lifetime;
enum lb_algorithm btf_lb_algorithm;
enum lb_ct_direction btf_lb_ct_direction;
enum flow_verdict btf_flow_verdict;
enum flow_lost btf_flow_lost;
/* Ring-buffer records have no map type to carry them into BTF: this global does. */
struct flow_event btf_flow_event;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
