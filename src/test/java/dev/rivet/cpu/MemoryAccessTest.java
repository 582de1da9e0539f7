package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Memory behaviour of the hart: misaligned and page-crossing accesses, faults that must leave memory
 * intact, self-modifying code, instructions that straddle pages, and exact stopping on a budget.
 */
class MemoryAccessTest {
    static final long PATTERN = 0x8877_6655_4433_2211L;

    @Test
    void misalignedLoadsWithinAPage() {
        Machine m = new Machine();
        for (int i = 0; i < 16; i++) m.mem.write(DATA + i, 1, 0x80 + i); // 80 81 82 ... 8f
        m.code(ld(1, RS1, 1), lw(3, RS1, 3), lwu(4, RS1, 5), lh(5, RS1, 7), lhu(6, RS1, 9), ld(7, RS1, 7))
                .set(RS1, DATA).runToEcall();
        assertThat(m.x(1)).isEqualTo(0x8887_8685_8483_8281L);
        assertThat(m.x(3)).isEqualTo(0xffff_ffff_8685_8483L);
        assertThat(m.x(4)).isEqualTo(0x8887_8685L);
        assertThat(m.x(5)).isEqualTo(0xffff_ffff_ffff_8887L);
        assertThat(m.x(6)).isEqualTo(0x8a89L);
        assertThat(m.x(7)).isEqualTo(0x8e8d_8c8b_8a89_8887L);
    }

    @Test
    void misalignedStoresWithinAPage() {
        Machine m = new Machine();
        m.code(sd(RS2, RS1, 3), sw(RS2, RS1, 17), sh(RS2, RS1, 33)).set(RS1, DATA).set(RS2, PATTERN).runToEcall();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(0x5544_3322_1100_0000L);
        assertThat(m.mem.read(DATA + 8, 8)).isEqualTo(0x0000_0000_0088_7766L);
        assertThat(m.mem.read(DATA + 16, 8)).isEqualTo(0x0000_0044_3322_1100L);
        assertThat(m.mem.read(DATA + 32, 8)).isEqualTo(0x0000_0000_0022_1100L);
    }

    @Test
    void loadsAndStoresCrossingAPageBoundary() {
        long edge = DATA + 0x1000;
        for (int size : new int[] {2, 4, 8}) {
            for (int before = 1; before < size; before++) {
                long addr = edge - before;
                Machine m = new Machine();
                int store = switch (size) {
                    case 2 -> sh(RS2, RS1, 0);
                    case 4 -> sw(RS2, RS1, 0);
                    default -> sd(RS2, RS1, 0);
                };
                int load = switch (size) {
                    case 2 -> lhu(RD, RS1, 0);
                    case 4 -> lwu(RD, RS1, 0);
                    default -> ld(RD, RS1, 0);
                };
                int signedLoad = switch (size) {
                    case 2 -> lh(13, RS1, 0);
                    case 4 -> lw(13, RS1, 0);
                    default -> ld(13, RS1, 0);
                };
                m.code(store, load, signedLoad).set(RS1, addr).set(RS2, PATTERN).runToEcall();
                long mask = size == 8 ? -1 : (1L << (8 * size)) - 1;
                assertThat(m.x(RD)).as("size %d at page end - %d", size, before).isEqualTo(PATTERN & mask);
                long signed = size == 8 ? PATTERN : (PATTERN << (64 - 8 * size)) >> (64 - 8 * size);
                assertThat(m.x(13)).isEqualTo(signed);
                for (int b = 0; b < size; b++) {
                    assertThat(m.mem.read(addr + b, 1)).isEqualTo((PATTERN >>> (8 * b)) & 0xff);
                }
                assertThat(m.mem.read(addr - 1, 1)).isZero();
                assertThat(m.mem.read(addr + size, 1)).isZero();
            }
        }
    }

    @Test
    void crossingLoadFaultsOnSecondPage() {
        Machine m = new Machine(); // DATA + 0x2000 is unmapped
        long addr = DATA + 0x2000 - 3;
        m.mem.write(addr, 3, 0xabcdef);
        m.code(ld(RD, RS1, 0)).set(RS1, addr).set(RD, 42).runToException(Cause.LOAD_PAGE_FAULT);
        assertThat(m.h.trapValue >>> 12).isEqualTo((DATA + 0x2000) >>> 12);
        assertThat(m.x(RD)).isEqualTo(42);
        assertThat(m.h.pc).isEqualTo(CODE);
    }

    @Test
    void crossingStoreThatFaultsOnSecondPageLeavesFirstPageUnchanged() {
        for (int secondPagePerms : new int[] {0, TestMemory.R, TestMemory.RX}) {
            for (int size : new int[] {2, 4, 8}) {
                Machine m = new Machine();
                long second = DATA + 0x2000;
                if (secondPagePerms != 0) m.mem.map(second, 0x1000, secondPagePerms);
                long addr = second - 1;
                m.mem.write(second - 8, 8, 0x1111_1111_1111_1111L);
                int store = size == 2 ? sh(RS2, RS1, 0) : size == 4 ? sw(RS2, RS1, 0) : sd(RS2, RS1, 0);
                m.code(store).set(RS1, addr).set(RS2, -1).runToException(Cause.STORE_PAGE_FAULT);
                assertThat(m.h.trapValue >>> 12).isEqualTo(second >>> 12);
                assertThat(m.mem.read(second - 8, 8)).as("perms %d size %d", secondPagePerms, size)
                        .isEqualTo(0x1111_1111_1111_1111L);
                if (secondPagePerms != 0) assertThat(m.mem.read(second, 8)).isZero();
            }
        }
    }

    @Test
    void crossingStoreAfterTlbIsWarmStillChecksSecondPage() {
        // The first page is already in the write TLB when the crossing store comes.
        Machine m = new Machine();
        long second = DATA + 0x2000;
        m.mem.map(second, 0x1000, TestMemory.R);
        m.code(sd(0, RS1, -16), sd(RS2, RS1, -4)).set(RS1, second).set(RS2, -1);
        m.mem.write(second - 8, 8, 0x2222_2222_2222_2222L);
        m.runToException(Cause.STORE_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(CODE + 4);
        assertThat(m.mem.read(second - 8, 8)).isEqualTo(0x2222_2222_2222_2222L);
    }

    @Test
    void permissionFaults() {
        Machine m = new Machine();
        m.mem.map(0x80000, 0x1000, TestMemory.R);
        m.mem.map(0x90000, 0x1000, TestMemory.W);
        m.mem.map(0xa0000, 0x1000, TestMemory.RW);
        // store to read-only
        m.code(sw(RS2, RS1, 0)).set(RS1, 0x80010).runToException(Cause.STORE_PAGE_FAULT);
        assertThat(m.h.trapValue).isEqualTo(0x80010);
        // load from write-only and from unmapped
        new Machine(m.mem, 1).code(lw(RD, RS1, 0)).set(RS1, 0x90000).runToException(Cause.LOAD_PAGE_FAULT);
        Machine u = new Machine(m.mem, 2).code(lb(RD, RS1, 0)).set(RS1, 0xdead_0000L).runToException(Cause.LOAD_PAGE_FAULT);
        assertThat(u.h.trapValue).isEqualTo(0xdead_0000L);
        // fetch from a non-executable page and from an unmapped one
        Machine f = new Machine(m.mem, 3);
        f.h.pc = 0xa0000;
        assertThat(f.run(10)).isEqualTo(Stop.EXCEPTION);
        assertThat(f.h.trapCause).isEqualTo(Cause.FETCH_PAGE_FAULT);
        Machine g = new Machine(m.mem, 4).code(jalr(0, RS1, 0)).set(RS1, 0xbeef_0000L);
        g.runToException(Cause.FETCH_PAGE_FAULT);
        assertThat(g.h.pc).isEqualTo(0xbeef_0000L);
        assertThat(g.h.trapValue).isEqualTo(0xbeef_0000L);
        assertThat(g.h.instret).isEqualTo(1);
    }

    // ------------------------------------------------------------------ self-modifying code

    /**
     * target: addi a0, a0, 1; bnez a3, done; sw a2, 0(a1) [overwrites target]; [fence.i]; li a3, 1; j target; done: ecall
     */
    private static Machine selfModifying(long codeAt, long targetAt, boolean fenceI) {
        TestMemory mem = new TestMemory().map(codeAt, 0x1000, TestMemory.RWX).map(targetAt, 0x1000, TestMemory.RWX)
                .map(DATA, 0x1000, TestMemory.RW);
        Machine m = new Machine(mem, 0);
        // Target code: addi a0, a0, 1; jalr x0, 0(ra)
        m.place(targetAt, addi(RD, RD, 1), jalr(0, 1, 0));
        m.place(codeAt,
                jalr(1, 14, 0), // call target (a4 = target)
                bne(13, 0, 20), // second time round: done
                sw(RS2, RS1, 0), // overwrite target's first instruction
                fenceI ? fenceI() : nop(),
                addi(13, 0, 1),
                jal(0, -20), // back to the call
                ecall());
        m.h.pc = codeAt;
        m.set(RS1, targetAt).set(RS2, addi(RD, RD, 100)).set(14, targetAt).set(13, 0);
        return m;
    }

    @Test
    void selfModifyingCodeOnTheSamePage() {
        for (boolean fence : new boolean[] {false, true}) {
            Machine m = selfModifying(CODE, CODE + 0x800, fence);
            m.runToEcall();
            assertThat(m.x(RD)).as("fence.i %s", fence).isEqualTo(101);
        }
    }

    @Test
    void selfModifyingCodeOnAnotherPage() {
        for (boolean fence : new boolean[] {false, true}) {
            Machine m = selfModifying(CODE, 0x70000, fence);
            m.runToEcall();
            assertThat(m.x(RD)).as("fence.i %s", fence).isEqualTo(101);
        }
    }

    @Test
    void overwritingTheNextInstruction() {
        // sw overwrites the instruction right after it; the new one must run.
        Machine m = new Machine().code(sw(RS2, RS1, 0), addi(RD, 0, 1));
        m.set(RS1, CODE + 4).set(RS2, addi(RD, 0, 2)).runToEcall();
        assertThat(m.x(RD)).isEqualTo(2);
    }

    @Test
    void codeWrittenThroughAWarmWriteTlbEntry() {
        // The page is written (entering the write TLB) before it is first executed, then patched.
        Machine m = new Machine();
        long page = 0x70000;
        m.mem.map(page, 0x1000, TestMemory.RWX);
        m.code(
                sw(RS2, RS1, 0), // write "addi a0, a0, 1" to page
                sw(15, RS1, 4), // write "jalr x0, 0(ra)"
                jalr(1, RS1, 0), // run it: a0 = 1
                sw(13, RS1, 0), // patch to "addi a0, a0, 10"
                jalr(1, RS1, 0)); // run it again: a0 = 11
        m.set(RS1, page).set(RS2, addi(RD, RD, 1)).set(15, jalr(0, 1, 0)).set(13, addi(RD, RD, 10)).runToEcall();
        assertThat(m.x(RD)).isEqualTo(11);
    }

    @Test
    void patchedByAnotherHartSeenAfterFenceI() {
        Machine a = new Machine();
        Machine b = new Machine(a.mem, 1);
        a.place(CODE, addi(RD, RD, 1), fenceI(), jal(0, -8)); // loop forever: a0++
        b.place(CODE + 0x100, sw(RS2, RS1, 0), ecall());
        assertThat(a.run(9)).isEqualTo(Stop.BUDGET);
        assertThat(a.x(RD)).isEqualTo(3);
        assertThat(a.h.pc).isEqualTo(CODE);
        b.h.pc = CODE + 0x100;
        b.set(RS1, CODE + 8).set(RS2, ecall()).runToEcall(); // replace the jal with ecall
        a.runToEcall();
        assertThat(a.h.pc).isEqualTo(CODE + 8);
        assertThat(a.x(RD)).isEqualTo(4);
    }

    // ------------------------------------------------------------------ instructions straddling pages

    @Test
    void instructionCrossingAPageBoundary() {
        TestMemory mem = new TestMemory().map(0x20000, 0x2000, TestMemory.RWX);
        Machine m = new Machine(mem, 0);
        long at = 0x20ffe;
        m.place(at - 2, cLi(RD, 1));
        m.place(at, lui(13, 0x12345)); // bytes 0x20ffe..0x21001
        m.place(at + 4, addi(RD, RD, 1), ecall());
        m.h.pc = at - 2;
        m.runToEcall();
        assertThat(m.x(13)).isEqualTo(0x1234_5000L);
        assertThat(m.x(RD)).isEqualTo(2);
        assertThat(m.h.pc).isEqualTo(at + 8);
        assertThat(m.h.instret).isEqualTo(3);
        // Change the upper half on the second page: the straddling instruction must see it.
        m.mem.write(0x21000, 2, lui(13, 0x54325) >>> 16);
        m.h.pc = at;
        m.runToEcall();
        assertThat(m.x(13)).isEqualTo(0x5432_5000L);
    }

    @Test
    void crossingInstructionPatchedByAStore() {
        TestMemory mem = new TestMemory().map(0x20000, 0x2000, TestMemory.RWX);
        Machine m = new Machine(mem, 0);
        long at = 0x20ffe;
        m.place(at, addi(RD, RD, 1), jalr(0, 1, 0));
        m.place(0x20000, jalr(1, 14, 0), sh(RS2, RS1, 0), jalr(1, 14, 0), ecall());
        m.h.pc = 0x20000;
        m.set(14, at).set(RS1, 0x21000).set(RS2, addi(RD, RD, 0x10) >>> 16).runToEcall();
        assertThat(m.x(RD)).isEqualTo(0x11);
    }

    @Test
    void crossingInstructionFaultsWhenSecondPageIsNotExecutable() {
        for (int perms : new int[] {0, TestMemory.RW}) {
            TestMemory mem = new TestMemory().map(0x20000, 0x1000, TestMemory.RWX);
            if (perms != 0) mem.map(0x21000, 0x1000, perms);
            Machine m = new Machine(mem, 0);
            m.place(0x20ffa, addi(RD, 0, 1));
            m.mem.write(0x20ffe, 2, 0x0513); // the low half of a 32-bit addi a0, ...
            m.h.pc = 0x20ffa;
            m.runToException(Cause.FETCH_PAGE_FAULT);
            assertThat(m.h.pc).isEqualTo(0x20ffe);
            assertThat(m.h.trapValue >>> 12).isIn(0x20L, 0x21L);
            assertThat(m.x(RD)).isEqualTo(1);
        }
    }

    @Test
    void compressedInstructionAtTheEndOfAPage() {
        TestMemory mem = new TestMemory().map(0x20000, 0x2000, TestMemory.RWX);
        Machine m = new Machine(mem, 0);
        m.place(0x20ffe, cLi(RD, 7));
        m.place(0x21000, cAddi(RD, 1), ecall());
        m.h.pc = 0x20ffe;
        m.runToEcall();
        assertThat(m.x(RD)).isEqualTo(8);
        assertThat(m.h.pc).isEqualTo(0x21002);
    }

    @Test
    void fallingOffTheEndOfCodeIntoAnUnmappedPage() {
        TestMemory mem = new TestMemory().map(0x20000, 0x1000, TestMemory.RWX);
        Machine m = new Machine(mem, 0);
        m.place(0x20ffc, addi(RD, 0, 3));
        m.h.pc = 0x20ffc;
        m.runToException(Cause.FETCH_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(0x21000);
        assertThat(m.h.trapValue).isEqualTo(0x21000);
        assertThat(m.x(RD)).isEqualTo(3);
    }

    // ------------------------------------------------------------------ budget

    @Test
    void budgetStopsAfterExactlyThatManyInstructions() {
        int[] prog = new int[10];
        for (int i = 0; i < prog.length; i++) prog[i] = addi(RD, RD, 1 << i);
        Machine m = new Machine().code(prog);
        assertThat(m.run(5)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.pc).isEqualTo(CODE + 20);
        assertThat(m.h.instret).isEqualTo(5);
        assertThat(m.x(RD)).isEqualTo(0b11111);
        assertThat(m.run(0)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.pc).isEqualTo(CODE + 20);
        assertThat(m.h.instret).isEqualTo(5);
        assertThat(m.run(1)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.pc).isEqualTo(CODE + 24);
        assertThat(m.h.instret).isEqualTo(6);
        m.runToEcall();
        assertThat(m.h.instret).isEqualTo(10);
        assertThat(m.x(RD)).isEqualTo(0x3ff);
    }

    @Test
    void budgetCountsTakenBranchesAndJumps() {
        // An infinite loop: budget is the only way out.
        Machine m = new Machine().code(addi(RD, RD, 1), jal(0, -4));
        assertThat(m.run(5)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.pc).isEqualTo(CODE + 4);
        assertThat(m.x(RD)).isEqualTo(3);
        assertThat(m.run(1001)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.instret).isEqualTo(1006);
        assertThat(m.h.pc).isEqualTo(CODE);
        assertThat(m.x(RD)).isEqualTo(503);
    }

    @Test
    void stopRequestedInTheMiddleOfARunTakesEffectAtTheNextTakenJumpWithExactInstret() {
        Machine m = new Machine();
        long trigger = 0x60000;
        m.mem.map(trigger, 0x1000, TestMemory.R);
        m.mem.onTranslate = (hart, va) -> {
            if (va >>> 12 == trigger >>> 12) hart.requestStop();
        };
        m.code(addi(RD, RD, 1), addi(RD, RD, 1), lw(13, RS1, 0), addi(RD, RD, 1), jal(0, 8), addi(RD, RD, 100), addi(RD, RD, 1));
        m.set(RS1, trigger);
        assertThat(m.run(100)).isEqualTo(Stop.REQUESTED);
        assertThat(m.h.pc).isEqualTo(CODE + 24);
        assertThat(m.x(RD)).isEqualTo(3);
        assertThat(m.h.instret).isEqualTo(5);
        m.runToEcall();
        assertThat(m.x(RD)).isEqualTo(4);
        assertThat(m.h.instret).isEqualTo(6);
    }

    @Test
    void requestedStop() {
        Machine m = new Machine().code(addi(RD, RD, 1), jal(0, -4));
        m.h.requestStop();
        assertThat(m.run(100)).isEqualTo(Stop.REQUESTED);
        assertThat(m.h.instret).isZero();
        assertThat(m.h.pc).isEqualTo(CODE);
        assertThat(m.run(4)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.instret).isEqualTo(4);
    }
}
