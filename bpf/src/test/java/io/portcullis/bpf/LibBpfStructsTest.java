package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written offsets of libbpf's option structs and of the UAPI constants against the
 * installed headers: a small C program compiled with the host clang prints offsetof/sizeof and the
 * enum values, and every Java constant must equal its line. Needs clang and libbpf-dev, which
 * building this module needs anyway.
 */
class LibBpfStructsTest {

    @Test
    void javaLayoutsMatchTheInstalledLibbpfHeaders(@TempDir Path dir) throws Exception {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("sizeof(struct bpf_tc_hook)", (long) LibBpfStructs.TcHook.SIZE);
        expected.put("offsetof(struct bpf_tc_hook, sz)", (long) LibBpfStructs.TcHook.SZ);
        expected.put("offsetof(struct bpf_tc_hook, ifindex)", (long) LibBpfStructs.TcHook.IFINDEX);
        expected.put("offsetof(struct bpf_tc_hook, attach_point)", (long) LibBpfStructs.TcHook.ATTACH_POINT);
        expected.put("offsetof(struct bpf_tc_hook, parent)", (long) LibBpfStructs.TcHook.PARENT);
        expected.put("sizeof(struct bpf_tc_opts)", (long) LibBpfStructs.TcOpts.SIZE);
        expected.put("offsetof(struct bpf_tc_opts, prog_fd)", (long) LibBpfStructs.TcOpts.PROG_FD);
        expected.put("offsetof(struct bpf_tc_opts, flags)", (long) LibBpfStructs.TcOpts.FLAGS);
        expected.put("offsetof(struct bpf_tc_opts, prog_id)", (long) LibBpfStructs.TcOpts.PROG_ID);
        expected.put("offsetof(struct bpf_tc_opts, handle)", (long) LibBpfStructs.TcOpts.HANDLE);
        expected.put("offsetof(struct bpf_tc_opts, priority)", (long) LibBpfStructs.TcOpts.PRIORITY);
        expected.put("BPF_TC_F_REPLACE", (long) LibBpfStructs.TcOpts.BPF_TC_F_REPLACE);
        expected.put("sizeof(struct bpf_test_run_opts)", (long) LibBpfStructs.TestRunOpts.SIZE);
        expected.put("offsetof(struct bpf_test_run_opts, data_in)", (long) LibBpfStructs.TestRunOpts.DATA_IN);
        expected.put("offsetof(struct bpf_test_run_opts, data_out)", (long) LibBpfStructs.TestRunOpts.DATA_OUT);
        expected.put("offsetof(struct bpf_test_run_opts, data_size_in)", (long) LibBpfStructs.TestRunOpts.DATA_SIZE_IN);
        expected.put("offsetof(struct bpf_test_run_opts, data_size_out)", (long) LibBpfStructs.TestRunOpts.DATA_SIZE_OUT);
        expected.put("offsetof(struct bpf_test_run_opts, ctx_in)", (long) LibBpfStructs.TestRunOpts.CTX_IN);
        expected.put("offsetof(struct bpf_test_run_opts, ctx_out)", (long) LibBpfStructs.TestRunOpts.CTX_OUT);
        expected.put("offsetof(struct bpf_test_run_opts, ctx_size_in)", (long) LibBpfStructs.TestRunOpts.CTX_SIZE_IN);
        expected.put("offsetof(struct bpf_test_run_opts, ctx_size_out)", (long) LibBpfStructs.TestRunOpts.CTX_SIZE_OUT);
        expected.put("offsetof(struct bpf_test_run_opts, retval)", (long) LibBpfStructs.TestRunOpts.RETVAL);
        expected.put("offsetof(struct bpf_test_run_opts, repeat)", (long) LibBpfStructs.TestRunOpts.REPEAT);
        expected.put("offsetof(struct bpf_test_run_opts, duration)", (long) LibBpfStructs.TestRunOpts.DURATION);
        expected.put("offsetof(struct bpf_test_run_opts, flags)", (long) LibBpfStructs.TestRunOpts.FLAGS);
        expected.put("offsetof(struct bpf_test_run_opts, cpu)", (long) LibBpfStructs.TestRunOpts.CPU);
        expected.put("offsetof(struct bpf_test_run_opts, batch_size)", (long) LibBpfStructs.TestRunOpts.BATCH_SIZE);
        expected.put("offsetof(struct bpf_object_open_opts, object_name)", (long) LibBpfStructs.OpenOpts.OBJECT_NAME);
        expected.put("offsetof(struct bpf_object_open_opts, pin_root_path)", (long) LibBpfStructs.OpenOpts.PIN_ROOT_PATH);
        expected.put("offsetof(struct bpf_object_open_opts, pin_root_path) + sizeof(char *)",
                (long) LibBpfStructs.OpenOpts.SIZE);
        expected.put("offsetof(struct bpf_map_info, type)", (long) LibBpfStructs.MapInfo.TYPE);
        expected.put("offsetof(struct bpf_map_info, id)", (long) LibBpfStructs.MapInfo.ID);
        expected.put("offsetof(struct bpf_map_info, key_size)", (long) LibBpfStructs.MapInfo.KEY_SIZE);
        expected.put("offsetof(struct bpf_map_info, value_size)", (long) LibBpfStructs.MapInfo.VALUE_SIZE);
        expected.put("offsetof(struct bpf_map_info, max_entries)", (long) LibBpfStructs.MapInfo.MAX_ENTRIES);
        expected.put("offsetof(struct bpf_map_info, map_flags)", (long) LibBpfStructs.MapInfo.MAP_FLAGS);
        expected.put("offsetof(struct bpf_map_info, name)", (long) LibBpfStructs.MapInfo.NAME);
        expected.put("BPF_OBJ_NAME_LEN", (long) LibBpfStructs.MapInfo.NAME_LEN);
        expected.put("offsetof(struct bpf_map_info, name) + BPF_OBJ_NAME_LEN", (long) LibBpfStructs.MapInfo.SIZE);
        expected.put("BPF_CGROUP_SOCK_OPS", (long) AttachType.CGROUP_SOCK_OPS.code());
        expected.put("BPF_SK_MSG_VERDICT", (long) AttachType.SK_MSG_VERDICT.code());
        expected.put("BPF_CGROUP_INET4_CONNECT", (long) AttachType.CGROUP_INET4_CONNECT.code());
        expected.put("BPF_TC_INGRESS", (long) TcDirection.INGRESS.attachPoint());
        expected.put("BPF_TC_EGRESS", (long) TcDirection.EGRESS.attachPoint());
        expected.put("XDP_FLAGS_SKB_MODE", (long) XdpMode.GENERIC.flags());
        expected.put("XDP_FLAGS_DRV_MODE", (long) XdpMode.NATIVE.flags());
        expected.put("LIBBPF_WARN", 0L);
        expected.put("LIBBPF_INFO", 1L);

        assertThat(printFromC(dir, expected.keySet())).containsExactlyEntriesOf(expected);
    }

    private static Map<String, Long> printFromC(Path dir, Iterable<String> expressions) throws Exception {
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/if_link.h>
                #include <bpf/bpf.h>
                #include <bpf/libbpf.h>
                int main(void) {
                """);
        for (String expression : expressions) {
            c.append("    printf(\"%lld\\n\", (long long)(").append(expression).append("));\n");
        }
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("layout.c");
        Path binary = dir.resolve("layout");
        Files.writeString(source, c);
        run(dir, "clang", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        String[] lines = run(dir, binary.toString()).split("\n");

        Map<String, Long> actual = new LinkedHashMap<>();
        int i = 0;
        for (String expression : expressions) {
            actual.put(expression, Long.parseLong(lines[i++].trim()));
        }
        return actual;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s failed:\n%s", String.join(" ", command), output).isZero();
        return output;
    }
}
