package dev.netprof.agent;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a class file just far enough to name its superclass and interfaces (JVMS 4.1, 4.4). */
final class ClassFileHeader {
    static List<String> supertypes(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: utf8[i] = in.readUTF(); break;
                    case 7: classNameIndex[i] = in.readUnsignedShort(); break;
                    case 8: case 16: case 19: case 20: in.readUnsignedShort(); break;
                    case 15: in.readUnsignedByte(); in.readUnsignedShort(); break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.readInt(); break;
                    case 5: case 6: in.readLong(); i++; break;
                    default: throw new IOException("unknown constant pool tag " + tag);
                }
            }
            in.readUnsignedShort(); // access flags
            in.readUnsignedShort(); // this_class
            List<String> supertypes = new ArrayList<>();
            int superIndex = in.readUnsignedShort();
            if (superIndex != 0) {
                supertypes.add(utf8[classNameIndex[superIndex]].replace('/', '.'));
            }
            for (int n = in.readUnsignedShort(); n > 0; n--) {
                supertypes.add(utf8[classNameIndex[in.readUnsignedShort()]].replace('/', '.'));
            }
            return supertypes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ClassFileHeader() {
    }
}
