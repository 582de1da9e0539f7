package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.jit.AccessGroups.Member;
import org.junit.jupiter.api.Test;

/** Which loads and stores of a block share one page check. */
class AccessGroupsTest {
    static final int SP = 2, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15;

    private static Member[] groups(int... code) {
        Region r = Region.build(CodePages.of(code, ecall()), new int[] {0}, 120);
        return AccessGroups.of(r.blocks.firstEntry().getValue());
    }

    @Test
    void fourByteLoadsOfOneWordAreOneGroupLedByTheFirst() {
        // sha256's message word: four byte loads from a1, shifts and ors between them.
        Member[] m = groups(lbu(A5, A1, 0), lbu(A2, A1, 1), lbu(A0, A1, 3), lbu(A3, A1, 2),
                slliw(A5, A5, 24), or(A5, A5, A2), sw(A5, A4, 0));
        for (int k = 0; k <= 3; k++) assertThat(m[k]).isEqualTo(new Member(0, 0, 4));
        assertThat(m[0].leads(0)).isTrue();
        assertThat(m[1].leads(1)).isFalse();
        assertThat(m[4]).isNull();
        assertThat(m[6]).as("a store alone").isNull();
    }

    @Test
    void anEpiloguesLoadsFromTheStackPointerAreGroupsOfAtMostTheSpanLimit() {
        int[] code = new int[10];
        for (int k = 0; k < 10; k++) code[k] = ld(S0 + (k % 2), SP, 8 * k);
        Member[] m = groups(code);
        // 80 bytes: the first eight loads (64 bytes) are a group, the last two another.
        for (int k = 0; k < 8; k++) assertThat(m[k]).isEqualTo(new Member(0, 0, 64));
        for (int k = 8; k < 10; k++) assertThat(m[k]).isEqualTo(new Member(8, 64, 16));
    }

    @Test
    void aGroupEndsWhereItsBaseIsWrittenOrMemoryIsTouchedOtherwise() {
        Member[] m = groups(ld(A0, S1, 0), ld(A1, S1, 8), addi(S1, S1, 16), ld(A2, S1, 0), ld(A3, S1, 8));
        assertThat(m[0]).isEqualTo(new Member(0, 0, 16));
        assertThat(m[1]).isEqualTo(new Member(0, 0, 16));
        assertThat(m[3]).isEqualTo(new Member(3, 0, 16));
        assertThat(m[4]).isEqualTo(new Member(3, 0, 16));
        // A load into its own base is its group's last member.
        m = groups(ld(A0, S1, 0), ld(S1, S1, 8), ld(A2, S1, 0));
        assertThat(m[1]).isEqualTo(new Member(0, 0, 16));
        assertThat(m[2]).isNull();
        // A store between loads, or loads from another base, end the group.
        m = groups(ld(A0, S1, 0), sd(A0, S1, 16), ld(A1, S1, 8));
        assertThat(m).containsOnlyNulls();
        m = groups(lw(A0, S1, 0), lw(A1, S0, 0), lw(A2, S1, 4));
        assertThat(m).containsOnlyNulls();
        // So do instructions other than integer arithmetic.
        m = groups(ld(A0, S1, 0), fence(), ld(A1, S1, 8));
        assertThat(m).containsOnlyNulls();
    }

    @Test
    void storesGroupTooAndFloatingPointAccessesJoinThem() {
        Member[] m = groups(sd(A0, SP, 24), sd(A1, SP, 16), fsd(A2, SP, 8), sw(A3, SP, 4));
        for (int k = 0; k < 4; k++) assertThat(m[k]).isEqualTo(new Member(0, 4, 28));
    }
}
