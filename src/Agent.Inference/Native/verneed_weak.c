/* Marks one version requirement of an ELF64 file as weak (VER_FLG_WEAK in its Vernaux entry of .gnu.version_r),
 * so the dynamic loader only warns instead of refusing to load when the host library lacks that version.
 * patchelf 0.14 has no option for this. Usage: verneed_weak FILE VERSION   (e.g. GLIBCXX_3.4.32)
 * Exit 0 when the flag is set (or was already set), 3 when FILE does not need VERSION, 1 on error. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) { fprintf(stderr, "verneed_weak: %s\n", what); return 1; }

int main(int argc, char **argv) {
    if (argc != 3) return fail("usage: verneed_weak FILE VERSION");
    FILE *f = fopen(argv[1], "r+b");
    if (!f) return fail("cannot open file");
    if (fseek(f, 0, SEEK_END) != 0) return fail("cannot seek");
    long size = ftell(f);
    if (size < (long)sizeof(Elf64_Ehdr) || size > (1L << 31)) return fail("not a plausible ELF64 file");
    unsigned char *b = malloc((size_t)size);
    if (!b) return fail("out of memory");
    rewind(f);
    if (fread(b, 1, (size_t)size, f) != (size_t)size) return fail("short read");

    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return fail("not ELF64");
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff + (Elf64_Off)eh->e_shnum * sizeof(Elf64_Shdr) > (Elf64_Off)size)
        return fail("bad section header table");
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    int found = 0;
    for (int s = 0; s < eh->e_shnum; s++) {
        if (sh[s].sh_type != SHT_GNU_verneed) continue;
        if (sh[s].sh_link >= eh->e_shnum) return fail("bad string table link");
        Elf64_Shdr *str = &sh[sh[s].sh_link];
        if (sh[s].sh_offset + sh[s].sh_size > (Elf64_Off)size || str->sh_offset + str->sh_size > (Elf64_Off)size)
            return fail("section outside file");
        Elf64_Off vn = sh[s].sh_offset, end = sh[s].sh_offset + sh[s].sh_size;
        for (int guard = 0; guard < 4096 && vn + sizeof(Elf64_Verneed) <= end; guard++) {
            Elf64_Verneed *need = (Elf64_Verneed *)(b + vn);
            Elf64_Off va = vn + need->vn_aux;
            for (int a = 0; a < need->vn_cnt && va + sizeof(Elf64_Vernaux) <= end; a++) {
                Elf64_Vernaux *aux = (Elf64_Vernaux *)(b + va);
                if (aux->vna_name < str->sh_size &&
                    strncmp((char *)b + str->sh_offset + aux->vna_name, argv[2], str->sh_size - aux->vna_name) == 0) {
                    aux->vna_flags |= VER_FLG_WEAK;
                    found = 1;
                }
                if (aux->vna_next == 0) break;
                va += aux->vna_next;
            }
            if (need->vn_next == 0) break;
            vn += need->vn_next;
        }
    }
    if (!found) return 3;
    rewind(f);
    if (fwrite(b, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) return fail("write failed");
    return 0;
}
